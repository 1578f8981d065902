/**
 * The review service's write endpoint, PUT /reviews/{orderId}/{index}, over real HTTP on a copy of the
 * seeded JSONL store: the bearer write token (401 without, 403 wrong or when the service takes no writes),
 * idempotency per slot (the same review twice is one review, concurrent ones too), conflicts, bad bodies
 * (400 naming the problem), and the service's own reads (GET /reviews, /reviews/all, /healthz) showing a write.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, RestReviewsSource, type ReviewDocument, type StoredReview } from '../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';

const TOKEN = 'test-write-token-3f9c';
const SEEDED_LINES = 500;
const NEW_ORDER = 'ffffffffffffffffffffffffffff0001';

let dir: string;
let file: string;
let service: RunningReviewsService;
let readOnly: RunningReviewsService;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-reviews-write-'));
  file = path.join(dir, 'reviews.jsonl');
  const seeded = fs.readFileSync(embeddedStorePaths(configFromEnv().dataDir).reviews, 'utf8').split('\n').slice(0, SEEDED_LINES);
  fs.writeFileSync(file, `${seeded.join('\n')}\n`);
  service = await startReviewsService({ file, port: 0, writeToken: TOKEN });
  readOnly = await startReviewsService({ file, port: 0 });
});

afterAll(async () => {
  await service?.close();
  await readOnly?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lineCount = () =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '').length;

async function put(orderId: string, index: number | string, body: unknown, options: { token?: string | null; on?: RunningReviewsService } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${(options.on ?? service).url}/reviews/${encodeURIComponent(orderId)}/${index}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { created?: boolean; review?: StoredReview; error?: string } };
}

async function reviewsOf(orderId: string): Promise<StoredReview[]> {
  const response = await fetch(`${service.url}/reviews?orderIds=${orderId}`);
  return ((await response.json()) as { reviews: Record<string, StoredReview[]> }).reviews[orderId];
}

describe('PUT /reviews/{orderId}/{index}', () => {
  it('refuses a write without a bearer token (401), with a wrong one (403), and on a service without a write token (403); nothing is written', async () => {
    const review = { order_id: NEW_ORDER, review_score: 5 };
    const before = lineCount();
    const missing = await put(NEW_ORDER, 0, review, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/Bearer/);
    expect((await put(NEW_ORDER, 0, review, { token: `${TOKEN}x` })).status).toBe(403);
    const disabled = await put(NEW_ORDER, 0, review, { on: readOnly });
    expect(disabled.status).toBe(403);
    expect(disabled.body.error).toMatch(/takes no writes/);
    expect(lineCount()).toBe(before);
    expect(await reviewsOf(NEW_ORDER)).toEqual([]);
  });

  it('answers 400 naming the problem for a bad body or slot, and writes nothing', async () => {
    const before = lineCount();
    const cases: [number | string, unknown, RegExp][] = [
      [0, '{not json', /not JSON/],
      [0, { order_id: NEW_ORDER }, /review_score/],
      [0, { order_id: NEW_ORDER, review_score: 7 }, /review_score/],
      [0, { order_id: NEW_ORDER, review_score: 4.5 }, /review_score/],
      [0, { order_id: NEW_ORDER, review_score: 3, rating: 3 }, /rating/],
      [0, { order_id: 'another-order', review_score: 3 }, /order_id "another-order" is not the order of the path/],
      [0, [1, 2], /review document/],
      ['first', { order_id: NEW_ORDER, review_score: 3 }, /index must be an integer/],
      [-1, { order_id: NEW_ORDER, review_score: 3 }, /index must be an integer/],
    ];
    const tooLarge = await put(NEW_ORDER, 0, { order_id: NEW_ORDER, review_score: 3, review_comment_message: 'x'.repeat(70_000) });
    expect(tooLarge.status).toBe(413);
    for (const [index, body, message] of cases) {
      const answer = await put(NEW_ORDER, index, body);
      expect([index, body, answer.status]).toEqual([index, body, 400]);
      expect(answer.body.error).toMatch(message);
    }
    expect(lineCount()).toBe(before);
  });

  it('stores a review once per slot: a second PUT of the same review changes nothing, a concurrent burst stores one', async () => {
    const review: ReviewDocument = { order_id: NEW_ORDER, review_score: 4, review_id: 'rv-new-1', review_comment_message: 'chegou antes do prazo' };
    const before = lineCount();
    const first = await put(NEW_ORDER, 0, review);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ created: true, review: { line: before + 1, document: review, ordersSharingReviewId: 1 } });
    const again = await put(NEW_ORDER, 0, { review_id: 'rv-new-1', review_comment_message: 'chegou antes do prazo', review_score: 4, order_id: NEW_ORDER });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const second = { order_id: NEW_ORDER, review_score: 2 };
    const burst = await Promise.all(Array.from({ length: 6 }, () => put(NEW_ORDER, 1, second)));
    expect(burst.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(lineCount()).toBe(before + 2);
    expect((await reviewsOf(NEW_ORDER)).map((stored) => [stored.line, stored.document])).toEqual([
      [before + 1, review],
      [before + 2, second],
    ]);
  });

  it('refuses another document in a filled slot and a slot past the next free one (409)', async () => {
    const before = lineCount();
    const other = await put(NEW_ORDER, 0, { order_id: NEW_ORDER, review_score: 1 });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatch(/already stored with another document/);
    const gap = await put(NEW_ORDER, 5, { order_id: NEW_ORDER, review_score: 1 });
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatch(/the next slot is 2, not 5/);
    expect(lineCount()).toBe(before);
  });

  it('shows a write on every read endpoint and in a reader opened afterwards, with the shared review id counted', async () => {
    // Another order filed under the review id of NEW_ORDER's first review (the dataset has such shared ids).
    const sharer = 'ffffffffffffffffffffffffffff0002';
    const document: ReviewDocument = { order_id: sharer, review_score: 4, review_id: 'rv-new-1' };
    const client = await RestReviewsSource.open({ baseUrl: service.url, timeoutMs: 2000, retries: 1, backoffMs: 10, batchSize: 100 });
    expect(await client.putReview(document, 0, TOKEN)).toEqual(expect.objectContaining({ created: true }));
    expect(await client.putReview(document, 0, TOKEN)).toEqual(expect.objectContaining({ created: false }));
    // A wrong token is an answer, not an outage: one request, a clear error, nothing written.
    const before = client.requests;
    await expect(client.putReview({ ...document, review_score: 1 }, 1, 'wrong')).rejects.toThrow(/PUT .* answered HTTP 403/);
    expect(client.requests - before).toBe(1);
    const total = lineCount();
    const [[stored], [first]] = await client.reviewsByOrderIds([sharer, NEW_ORDER]);
    expect(stored).toEqual({ line: total, document, ordersSharingReviewId: 2 });
    expect(first.ordersSharingReviewId).toBe(2);
    const all = await client.all();
    expect(all.length).toBe(total);
    expect(all[all.length - 1]).toEqual(stored);
    const health = (await (await fetch(`${service.url}/healthz`)).json()) as { size: number };
    expect(health.size).toBe(total);
    const restarted = await startReviewsService({ file, port: 0 });
    try {
      const fresh = await RestReviewsSource.open({ baseUrl: restarted.url, timeoutMs: 2000, retries: 1, backoffMs: 10, batchSize: 100 });
      expect(await fresh.all()).toEqual(all);
    } finally {
      await restarted.close();
    }
  });
});

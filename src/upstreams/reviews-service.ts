import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerMatches, bearerTokenOf } from '../security/bearer';
import { readBody } from '../shared';
import { ReviewsSource, type StoredReview } from '../sources/reviews/reviews.source';
import { parseReviewWrite, sameDocument } from './review-write';

/** Most order ids one GET /reviews may ask for (keeps the URL well under Node's 16 KiB header limit). */
export const MAX_ORDER_IDS_PER_REQUEST = 400;
const MAX_PAGE = 10_000;

export interface ReviewsServiceOptions {
  /** The JSONL review store (data/reviews/reviews.jsonl after a seed). */
  file: string;
  port: number;
  host?: string;
  /** The bearer token PUT /reviews/… must carry (e.g. REVIEWS_WRITE_TOKEN); absent: the service takes no writes. */
  writeToken?: string;
}

export interface RunningReviewsService {
  url: string;
  port: number;
  /** Requests answered, per path (tests use it to see batching). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The review system as an HTTP service, over the JSON Lines store:
 *   GET /reviews?orderIds=a,b,c  → { reviews: { a: StoredReview[], b: [...], c: [] } }
 *   GET /reviews/all?afterLine=N&limit=M → { reviews: StoredReview[], nextAfterLine: number | null }
 *   GET /healthz → { status: "ok", size }
 *   PUT /reviews/{orderId}/{index} (Authorization: Bearer <writeToken>, body: the review document)
 *       → 201 { created: true, review } | 200 { created: false, review } (that slot already holds this document)
 * A stored review carries its store line number and ordersSharingReviewId, exactly as ReviewsSource holds it.
 * Writes are appended to the JSONL store, one at a time, and are read by the next GET.
 */
export async function startReviewsService(options: ReviewsServiceOptions): Promise<RunningReviewsService> {
  const store = await ReviewsSource.open(options.file);
  const requests = new Map<string, number>();
  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  const writeQueue = new ReviewWrites(store, options.file, options.writeToken);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (request.method === 'PUT' && /^\/reviews\/[^/]+\/[^/]+$/.test(url.pathname)) {
      void writeQueue.put(request, url.pathname).then(
        ({ status, body }) => send(response, status, body),
        (error: Error) => send(response, 500, { error: `the review store could not be written: ${error.message}` }),
      );
      return;
    }
    if (request.method !== 'GET') return send(response, 405, { error: 'only GET, and PUT /reviews/{orderId}/{index}' });
    if (url.pathname === '/healthz') return send(response, 200, { status: 'ok', size: store.size });
    if (url.pathname === '/reviews') {
      const param = url.searchParams.get('orderIds');
      if (param === null) return send(response, 400, { error: 'orderIds is required (comma-separated order ids)' });
      const orderIds = [...new Set(param.split(',').filter((id) => id.length > 0))];
      if (orderIds.length > MAX_ORDER_IDS_PER_REQUEST) {
        return send(response, 400, { error: `at most ${MAX_ORDER_IDS_PER_REQUEST} order ids per request` });
      }
      void store.reviewsByOrderIds(orderIds).then((lists) => {
        const reviews: Record<string, StoredReview[]> = {};
        orderIds.forEach((orderId, i) => (reviews[orderId] = lists[i]));
        send(response, 200, { reviews });
      });
      return;
    }
    if (url.pathname === '/reviews/all') {
      const afterLine = Number(url.searchParams.get('afterLine') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? MAX_PAGE);
      if (!Number.isInteger(afterLine) || afterLine < 0 || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        return send(response, 400, { error: `afterLine must be an integer >= 0 and limit 1..${MAX_PAGE}` });
      }
      const all = store.all();
      const start = firstAfter(all, afterLine);
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return send(response, 200, { reviews: page, nextAfterLine: more ? page[page.length - 1].line : null });
    }
    return send(response, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Index of the first review whose line is after `afterLine` (reviews are in line order). */
function firstAfter(reviews: readonly StoredReview[], afterLine: number): number {
  let low = 0;
  let high = reviews.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (reviews[mid].line <= afterLine) low = mid + 1;
    else high = mid;
  }
  return low;
}

interface Answer {
  status: number;
  body: unknown;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * PUT /reviews/{orderId}/{index}: the order's index-th review (from 0). Idempotent per slot: a slot already
 * holding the same document answers 200 and writes nothing; a different document there is a conflict (the
 * store is append-only). Slots fill in order, so a write past the next free slot is a conflict too.
 * One write at a time: the slot check, the append and the index update never interleave.
 */
class ReviewWrites {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ReviewsSource,
    private readonly file: string,
    private readonly token: string | undefined,
  ) {}

  async put(request: http.IncomingMessage, pathname: string): Promise<Answer> {
    const header = request.headers.authorization;
    if (bearerTokenOf(header) === null) {
      request.resume();
      return { status: 401, body: { error: 'writes need Authorization: Bearer <token>' } };
    }
    if (!this.token || !bearerMatches(header, this.token)) {
      request.resume();
      return {
        status: 403,
        body: { error: this.token ? 'the bearer token is not the write token' : 'this review service takes no writes (no write token configured)' },
      };
    }
    const { text, tooLarge } = await readBody(request, MAX_BODY_BYTES);
    if (tooLarge) return { status: 413, body: { error: `the body is over ${MAX_BODY_BYTES} bytes` } };
    const [, rawOrderId, rawIndex] = pathname.split('/').slice(1);
    const parsed = parseReviewWrite(safeDecode(rawOrderId), rawIndex, text);
    if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
    const { orderId, index, document } = parsed;
    const run = this.queue.then(async (): Promise<Answer> => {
      const [held] = await this.store.reviewsByOrderIds([orderId]);
      if (index < held.length) {
        return sameDocument(held[index].document, document)
          ? { status: 200, body: { created: false, review: held[index] } }
          : { status: 409, body: { error: `review ${index} of order ${orderId} is already stored with another document (line ${held[index].line})` } };
      }
      if (index > held.length) {
        return { status: 409, body: { error: `order ${orderId} holds ${held.length} review(s): the next slot is ${held.length}, not ${index}` } };
      }
      await fs.promises.appendFile(this.file, `${JSON.stringify(document)}\n`);
      await this.store.readAppended();
      const [now] = await this.store.reviewsByOrderIds([orderId]);
      return { status: 201, body: { created: true, review: now[index] } };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

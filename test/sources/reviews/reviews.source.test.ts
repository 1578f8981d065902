/** ReviewsSource over the seeded JSON Lines store, checked against the oracle computed from the CSV files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../../../src/shared';
import { embeddedStorePaths, ReviewsSource, SourceQueryLog, type StoredReview } from '../../../src/sources';
import { olistOracle, type ReviewRow } from '../../helpers/olist-oracle';
import { counted, UNKNOWN_ID, withUnknownAndDuplicate } from '../../helpers/seeded-sources';

const oracle = olistOracle();
const log = new SourceQueryLog();
let reviews: ReviewsSource;

beforeAll(async () => {
  oracle.preload('reviews', 'orders', 'orderItems', 'orderPayments', 'customers');
  reviews = await ReviewsSource.open(embeddedStorePaths(configFromEnv().dataDir).reviews, log);
});

/** The stored form of a review row: its line in the store, its document, how many orders share its review id. */
const stored = (row: ReviewRow) => ({
  line: row.index + 1,
  orderId: row.orderId,
  score: row.score,
  reviewId: row.reviewId,
  ordersSharingReviewId: oracle.ordersSharingReviewId(row),
});

const project = (review: StoredReview) => ({
  line: review.line,
  orderId: review.document.order_id,
  score: review.document.review_score,
  reviewId: review.document.review_id ?? null,
  ordersSharingReviewId: review.ordersSharingReviewId,
});

describe('ReviewsSource', () => {
  it('holds one document per review row', () => {
    expect(reviews.size).toBe(oracle.reviews().length);
  });

  it('answers the sampled orders in key order, reviews in file order, as one look-up', async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleOrderIds());
    const { result, statements } = await counted(log, () => reviews.reviewsByOrderIds(ids));
    expect(statements).toEqual({ reviews: 1 });
    expect(result.map((list) => list.map(project))).toEqual(ids.map((id) => (oracle.order(id)?.reviews ?? []).map(stored)));
    expect(result.some((list) => list.length > 1)).toBe(true);
    expect(result.some((list, i) => list.length === 0 && ids[i] !== UNKNOWN_ID)).toBe(true);
  });

  it('keeps the document fields of the file it was seeded from', async () => {
    const row = oracle.reviews()[0];
    const [[first]] = await reviews.reviewsByOrderIds([row.orderId]);
    const expected: Record<string, unknown> = { order_id: row.orderId, review_score: row.score };
    if (row.reviewId !== null) expected.review_id = row.reviewId;
    expect(first.document).toMatchObject(expected);
    expect(typeof first.document.review_score).toBe('number');
  });

  it('reports a malformed line with the file and line number', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-reviews-'));
    try {
      const file = path.join(dir, 'reviews.jsonl');
      fs.writeFileSync(file, '{"order_id":"a","review_score":5}\n\n{"order_id":"b","review_score":\n');
      await expect(ReviewsSource.open(file)).rejects.toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}: malformed JSON at line 3`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ReviewsSource: lines appended after open (replay, the review service’s writes)', () => {
  let dir: string;
  let file: string;
  const line = (orderId: string, score: number, reviewId?: string) =>
    `${JSON.stringify({ order_id: orderId, review_score: score, ...(reviewId ? { review_id: reviewId } : {}) })}\n`;
  const summary = (lists: StoredReview[][]) => lists.map((list) => list.map((r) => [r.line, r.document.review_score, r.ordersSharingReviewId]));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-reviews-appended-'));
    file = path.join(dir, 'reviews.jsonl');
    fs.writeFileSync(file, line('a', 5) + line('b', 4, 'r1') + line('a', 3));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('indexes the appended reviews on readAppended, line numbers continuing, a shared review id recounted', async () => {
    const source = await ReviewsSource.open(file);
    fs.appendFileSync(file, line('c', 2, 'r1') + '\n' + line('a', 1));
    expect(summary(await source.reviewsByOrderIds(['a', 'c']))).toEqual([
      [
        [1, 5, 1],
        [3, 3, 1],
      ],
      [],
    ]);
    expect((await source.readAppended()).added).toBe(2);
    expect(summary(await source.reviewsByOrderIds(['a', 'b', 'c']))).toEqual([
      [
        [1, 5, 1],
        [3, 3, 1],
        [6, 1, 1],
      ],
      [[2, 4, 2]],
      [[4, 2, 2]],
    ]);
    expect(source.size).toBe(6);
    expect(source.all().map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
    expect((await source.readAppended()).added).toBe(0);
    // The same index as a reader that opens the grown file.
    const reopened = await ReviewsSource.open(file);
    expect(reopened.all()).toEqual(source.all());
  });

  it('reads from the offset it reached, not the whole file again', async () => {
    const source = await ReviewsSource.open(file);
    // Line 1 rewritten in place (same length): a full re-read would pick the new score up, an incremental one cannot.
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('"review_score":5', '"review_score":1'));
    fs.appendFileSync(file, line('d', 4));
    expect((await source.readAppended()).added).toBe(1);
    expect(summary(await source.reviewsByOrderIds(['a', 'd']))).toEqual([
      [
        [1, 5, 1],
        [3, 3, 1],
      ],
      [[4, 4, 1]],
    ]);
    expect(summary(await (await ReviewsSource.open(file)).reviewsByOrderIds(['a']))[0][0]).toEqual([1, 1, 1]);
  });

  it('leaves a line being written until its newline arrives; concurrent reads read it once', async () => {
    const source = await ReviewsSource.open(file);
    const half = line('e', 5);
    fs.appendFileSync(file, half.slice(0, 10));
    expect((await source.readAppended()).added).toBe(0);
    expect(await source.reviewsByOrderIds(['e'])).toEqual([[]]);
    fs.appendFileSync(file, half.slice(10));
    expect((await Promise.all([source.readAppended(), source.readAppended(), source.readAppended()])).map((read) => read.added)).toEqual([1, 0, 0]);
    expect(summary(await source.reviewsByOrderIds(['e']))).toEqual([[[4, 5, 1]]]);
  });

  it('answers a malformed appended line with its line number and leaves it out, keeping the reviews around it', async () => {
    const source = await ReviewsSource.open(file);
    fs.appendFileSync(file, line('f', 2) + '{"order_id":"g",\n' + line('h', 3));
    const appended = await source.readAppended();
    expect(appended.added).toBe(2);
    expect(appended.malformed).toEqual([{ line: 5, message: expect.stringMatching(/malformed JSON at line 5/) }]);
    expect(summary(await source.reviewsByOrderIds(['f', 'g', 'h']))).toEqual([[[4, 2, 1]], [], [[6, 3, 1]]]);
    expect(await source.readAppended()).toEqual({ added: 0, malformed: [] });
  });
});

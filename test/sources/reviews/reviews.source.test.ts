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

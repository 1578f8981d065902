import fs from 'node:fs';
import readline from 'node:readline';
import type { SourceQueryLog } from '../query-log';

/**
 * A review document as the review system stores it: the Kaggle field names, one JSON object per line.
 * The shared dataset only has the (order_id, review_score) projection; the other fields are absent then.
 */
export interface ReviewDocument {
  order_id: string;
  review_score: number;
  review_id?: string;
  review_comment_title?: string | null;
  review_comment_message?: string | null;
  review_creation_date?: string | null;
  review_answer_timestamp?: string | null;
}

/** A review document with its position in the store (line number, from 1): a stable handle when it has no id. */
export interface StoredReview {
  line: number;
  document: ReviewDocument;
  /** How many distinct orders the store files under this document's review_id (1 without an id). */
  ordersSharingReviewId: number;
}

/**
 * What the graph needs from a review store, whatever serves it: the JSONL file (ReviewsSource) or the
 * review service over HTTP (RestReviewsSource). Both answer with the same stored reviews (same lines).
 */
export interface ReviewsReader {
  readonly name: string;
  /** Lines in the store (blank lines included). */
  readonly size: number;
  /** Every stored review, in store order (for reconciliation). */
  all(): StoredReview[] | Promise<StoredReview[]>;
  reviewsByOrderIds(orderIds: readonly string[]): Promise<StoredReview[][]>;
}

/** Document connector over a JSON Lines file, indexed by order id in memory at open. */
export class ReviewsSource implements ReviewsReader {
  readonly name = 'reviews';

  private constructor(
    private readonly byOrderId: Map<string, StoredReview[]>,
    readonly size: number,
    private readonly queryLog?: SourceQueryLog,
  ) {}

  static async open(file: string, queryLog?: SourceQueryLog): Promise<ReviewsSource> {
    const byOrderId = new Map<string, StoredReview[]>();
    const ordersByReviewId = new Map<string, Set<string>>();
    const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      let document: ReviewDocument;
      try {
        document = JSON.parse(text) as ReviewDocument;
      } catch (error) {
        throw new Error(`${file}: malformed JSON at line ${line}: ${(error as Error).message}`);
      }
      const stored: StoredReview = { line, document, ordersSharingReviewId: 1 };
      const list = byOrderId.get(document.order_id);
      if (list) list.push(stored);
      else byOrderId.set(document.order_id, [stored]);
      if (document.review_id) {
        const orders = ordersByReviewId.get(document.review_id) ?? new Set<string>();
        orders.add(document.order_id);
        ordersByReviewId.set(document.review_id, orders);
      }
    }
    for (const stored of [...byOrderId.values()].flat()) {
      const reviewId = stored.document.review_id;
      if (reviewId) stored.ordersSharingReviewId = ordersByReviewId.get(reviewId)!.size;
    }
    return new ReviewsSource(byOrderId, line, queryLog);
  }

  /** Every stored review, in store order (for reconciliation). */
  all(): StoredReview[] {
    return [...this.byOrderId.values()].flat().sort((a, b) => a.line - b.line);
  }

  async reviewsByOrderIds(orderIds: readonly string[]): Promise<StoredReview[][]> {
    this.queryLog?.record(this.name);
    return orderIds.map((orderId) => this.byOrderId.get(orderId) ?? []);
  }
}

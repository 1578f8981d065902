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
}

/** Document connector over a JSON Lines file, indexed by order id in memory at open. */
export class ReviewsSource {
  readonly name = 'reviews';

  private constructor(
    private readonly byOrderId: Map<string, StoredReview[]>,
    readonly size: number,
    private readonly queryLog?: SourceQueryLog,
  ) {}

  static async open(file: string, queryLog?: SourceQueryLog): Promise<ReviewsSource> {
    const byOrderId = new Map<string, StoredReview[]>();
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
      const list = byOrderId.get(document.order_id);
      if (list) list.push({ line, document });
      else byOrderId.set(document.order_id, [{ line, document }]);
    }
    return new ReviewsSource(byOrderId, line, queryLog);
  }

  async reviewsByOrderIds(orderIds: readonly string[]): Promise<StoredReview[][]> {
    this.queryLog?.record(this.name);
    return orderIds.map((orderId) => this.byOrderId.get(orderId) ?? []);
  }
}

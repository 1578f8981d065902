import fs from 'node:fs';
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
  /** An in-memory index: reads what the store gained since its last read (a reader that asks its store each time has none). */
  readAppended?(): Promise<number>;
}

/** Where an index stands in its file, kept in one object: the guarded wrappers (Object.create) share it. */
interface ReadPosition {
  /** Bytes of the file already read (complete lines only). */
  bytes: number;
  /** Lines read, blank ones included (the last one's number). */
  lines: number;
  /** The read in progress: reads of appended lines run one after another. */
  reading: Promise<number>;
}

const NEWLINE = 0x0a;

/**
 * Document connector over a JSON Lines file, indexed by order id in memory at open. Lines appended later
 * (replay, the review service's writes) join the index on `readAppended()`, read from the last offset.
 */
export class ReviewsSource implements ReviewsReader {
  readonly name = 'reviews';
  private readonly byOrderId = new Map<string, StoredReview[]>();
  private readonly byReviewId = new Map<string, { orders: Set<string>; stored: StoredReview[] }>();
  private readonly inLineOrder: StoredReview[] = [];
  private readonly position: ReadPosition = { bytes: 0, lines: 0, reading: Promise.resolve(0) };

  private constructor(
    private readonly file: string,
    private readonly queryLog?: SourceQueryLog,
  ) {}

  static async open(file: string, queryLog?: SourceQueryLog): Promise<ReviewsSource> {
    const source = new ReviewsSource(file, queryLog);
    // At open an unterminated last line is a review too (a file written by hand); later reads wait for its newline.
    await source.readFrom(true);
    return source;
  }

  /** Lines in the store (blank lines included), as far as read. */
  get size(): number {
    return this.position.lines;
  }

  /**
   * Reads the complete lines appended since the last read into the index (from the byte offset reached,
   * never the whole file again); resolves with how many reviews joined. Concurrent calls run in turn.
   */
  readAppended(): Promise<number> {
    const next = this.position.reading.then(() => this.readFrom(false));
    this.position.reading = next.catch(() => 0);
    return next;
  }

  /** Every stored review, in store order (for reconciliation). */
  all(): StoredReview[] {
    return this.inLineOrder.slice();
  }

  async reviewsByOrderIds(orderIds: readonly string[]): Promise<StoredReview[][]> {
    this.queryLog?.record(this.name);
    return orderIds.map((orderId) => this.byOrderId.get(orderId) ?? []);
  }

  private async readFrom(includeUnterminated: boolean): Promise<number> {
    const position = this.position;
    let added = 0;
    let pending: Buffer = Buffer.alloc(0);
    const consume = (bytes: Buffer, length: number) => {
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      const text = bytes.toString('utf8', 0, end);
      const line = position.lines + 1;
      if (text.trim() !== '') {
        this.add(this.parse(text, line), line);
        added += 1;
      }
      position.lines = line;
      position.bytes += length;
    };
    for await (const chunk of fs.createReadStream(this.file, { start: position.bytes })) {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      let from = 0;
      for (let at = pending.indexOf(NEWLINE, from); at !== -1; at = pending.indexOf(NEWLINE, from)) {
        consume(pending.subarray(from, at), at - from + 1);
        from = at + 1;
      }
      pending = pending.subarray(from);
    }
    if (includeUnterminated && pending.length > 0) consume(pending, pending.length);
    return added;
  }

  private parse(text: string, line: number): ReviewDocument {
    try {
      return JSON.parse(text) as ReviewDocument;
    } catch (error) {
      throw new Error(`${this.file}: malformed JSON at line ${line}: ${(error as Error).message}`);
    }
  }

  private add(document: ReviewDocument, line: number): void {
    const stored: StoredReview = { line, document, ordersSharingReviewId: 1 };
    const list = this.byOrderId.get(document.order_id);
    if (list) list.push(stored);
    else this.byOrderId.set(document.order_id, [stored]);
    this.inLineOrder.push(stored);
    if (!document.review_id) return;
    const shared = this.byReviewId.get(document.review_id) ?? { orders: new Set<string>(), stored: [] };
    this.byReviewId.set(document.review_id, shared);
    shared.orders.add(document.order_id);
    shared.stored.push(stored);
    for (const sibling of shared.stored) sibling.ordersSharingReviewId = shared.orders.size;
  }
}

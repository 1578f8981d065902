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
  readAppended?(): Promise<AppendedReviews>;
}

/** What one read of appended lines found: the reviews that joined, and the lines that are not JSON (left out, for the caller to report). */
export interface AppendedReviews {
  added: number;
  malformed: { line: number; message: string }[];
}

/** Where an index stands in its file, kept in one object: the guarded wrappers (Object.create) share it. */
interface ReadPosition {
  /** Bytes of the file already read (complete lines only). */
  bytes: number;
  /** Lines read, blank ones included (the last one's number). */
  lines: number;
  /** The read in progress: reads of appended lines run one after another. */
  reading: Promise<unknown>;
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
  private readonly position: ReadPosition = { bytes: 0, lines: 0, reading: Promise.resolve() };

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
  readAppended(): Promise<AppendedReviews> {
    const next = this.position.reading.then(() => this.readFrom(false));
    this.position.reading = next.catch(() => undefined);
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

  /**
   * At open a malformed line fails the open (the store is not what it claims); in appended lines it is left
   * out and answered, so one bad write cannot stop every later review (the caller reports it).
   */
  private async readFrom(atOpen: boolean): Promise<AppendedReviews> {
    const position = this.position;
    const found: AppendedReviews = { added: 0, malformed: [] };
    let pending: Buffer = Buffer.alloc(0);
    const consume = (bytes: Buffer, length: number) => {
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      const text = bytes.toString('utf8', 0, end);
      const line = position.lines + 1;
      if (text.trim() !== '') {
        const parsed = this.parse(text, line);
        if (typeof parsed === 'string') {
          if (atOpen) throw new Error(parsed);
          found.malformed.push({ line, message: parsed });
        } else {
          this.add(parsed, line);
          found.added += 1;
        }
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
    if (atOpen && pending.length > 0) consume(pending, pending.length);
    return found;
  }

  /** The document, or what is wrong with the line. */
  private parse(text: string, line: number): ReviewDocument | string {
    try {
      return JSON.parse(text) as ReviewDocument;
    } catch (error) {
      return `${this.file}: malformed JSON at line ${line}: ${(error as Error).message}`;
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

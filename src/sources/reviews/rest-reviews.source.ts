import type { SourceQueryLog } from '../query-log';
import { retryWithBackoff } from '../resilience/retry';
import type { ReviewDocument, ReviewsReader, StoredReview } from './reviews.source';

export interface RestReviewsOptions {
  /** The review service, e.g. http://127.0.0.1:4010 (no trailing slash needed). */
  baseUrl: string;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Retries of a GET after its first try. */
  retries: number;
  /** Base of the exponential backoff: try n waits a random time in [0, backoffMs * 2^n) ("full jitter"). */
  backoffMs: number;
  /** Order ids per GET /reviews request; a larger batch becomes several requests. */
  batchSize: number;
}

export class ReviewsServiceError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ReviewsServiceError';
  }
}

/** Answers that are worth another try: the service was down, slow, overloaded or failing. */
class RetryableResponse extends Error {}

const CONCURRENT_REQUESTS = 4;
const PAGE_SIZE = 10_000;

/**
 * The review system read over HTTP (see `serve-reviews`). Same answers as the JSONL ReviewsSource
 * (store line numbers, ordersSharingReviewId), with a timeout per request, retries with exponential
 * backoff + jitter (every call is an idempotent GET), and one request per `batchSize` order ids of a batch.
 * The query log counts one statement per batched lookup, as for the JSONL store (`requests` counts HTTP requests).
 */
export class RestReviewsSource implements ReviewsReader {
  readonly name = 'reviews';
  /** HTTP requests sent, retries included. */
  requests = 0;

  private constructor(
    private readonly options: RestReviewsOptions,
    readonly size: number,
    private readonly queryLog?: SourceQueryLog,
  ) {}

  static async open(options: RestReviewsOptions, queryLog?: SourceQueryLog): Promise<RestReviewsSource> {
    const probe = new RestReviewsSource(options, 0, undefined);
    const health = await probe.getJson<{ status: string; size: number }>('/healthz');
    return new RestReviewsSource(options, health.size, queryLog);
  }

  async reviewsByOrderIds(orderIds: readonly string[]): Promise<StoredReview[][]> {
    this.queryLog?.record(this.name);
    const unique = [...new Set(orderIds)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += this.options.batchSize) chunks.push(unique.slice(start, start + this.options.batchSize));
    const found = new Map<string, StoredReview[]>();
    await mapLimited(chunks, CONCURRENT_REQUESTS, async (chunk) => {
      const query = new URLSearchParams({ orderIds: chunk.join(',') });
      const body = await this.getJson<{ reviews: Record<string, StoredReview[]> }>(`/reviews?${query.toString()}`);
      for (const orderId of chunk) found.set(orderId, body.reviews[orderId] ?? []);
    });
    return orderIds.map((orderId) => found.get(orderId) ?? []);
  }

  /** Every stored review in store order, paged through GET /reviews/all. */
  async all(): Promise<StoredReview[]> {
    const reviews: StoredReview[] = [];
    let afterLine: number | null = 0;
    while (afterLine !== null) {
      const page: { reviews: StoredReview[]; nextAfterLine: number | null } = await this.getJson(`/reviews/all?afterLine=${afterLine}&limit=${PAGE_SIZE}`);
      reviews.push(...page.reviews);
      afterLine = page.nextAfterLine;
    }
    return reviews;
  }

  /**
   * Stores the order's `index`-th review (from 0) through PUT /reviews/{orderId}/{index}, with the service's
   * write token. Idempotent per slot, so retried like a GET; `created` is false when the slot already held it.
   */
  async putReview(document: ReviewDocument, index: number, writeToken: string): Promise<{ created: boolean }> {
    const path = `/reviews/${encodeURIComponent(document.order_id)}/${index}`;
    return this.requestJson<{ created: boolean }>('PUT', path, { body: JSON.stringify(document), token: writeToken });
  }

  private getJson<T>(pathAndQuery: string): Promise<T> {
    return this.requestJson<T>('GET', pathAndQuery);
  }

  /** An idempotent request with a timeout; network errors, timeouts, 429 and 5xx are retried with backoff (the shared retry loop), other statuses are not. */
  private async requestJson<T>(method: 'GET' | 'PUT', pathAndQuery: string, write?: { body: string; token: string }): Promise<T> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (write) Object.assign(headers, { 'content-type': 'application/json', authorization: `Bearer ${write.token}` });
    let attempts = 0;
    try {
      return await retryWithBackoff(
        async () => {
          attempts += 1;
          this.requests += 1;
          const response = await fetch(url, { method, body: write?.body, signal: AbortSignal.timeout(this.options.timeoutMs), headers });
          if (response.status === 429 || response.status >= 500) {
            await response.body?.cancel();
            throw new RetryableResponse(`HTTP ${response.status}`);
          }
          if (!response.ok) {
            const text = await response.text();
            throw new ReviewsServiceError(`Reviews service: ${method} ${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`, attempts);
          }
          return (await response.json()) as T;
        },
        { retries: this.options.retries, backoffMs: this.options.backoffMs, isRetryable: (error) => !(error instanceof ReviewsServiceError) },
      );
    } catch (error) {
      if (error instanceof ReviewsServiceError) throw error;
      throw new ReviewsServiceError(
        `Reviews service unavailable: ${method} ${url} failed ${attempts} time(s); last error: ${describe(error)}`,
        attempts,
        error,
      );
    }
  }
}

function describe(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (e.g. under a test runner), where instanceof fails.
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { name, message, cause } = error as { name?: string; message: string; cause?: { code?: string } };
  if (name === 'TimeoutError') return `timed out (${message})`;
  return cause?.code ? `${message} (${cause.code})` : message;
}

async function mapLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

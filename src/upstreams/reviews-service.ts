import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReviewsSource, type StoredReview } from '../sources/reviews/reviews.source';

/** Most order ids one GET /reviews may ask for (keeps the URL well under Node's 16 KiB header limit). */
export const MAX_ORDER_IDS_PER_REQUEST = 400;
const MAX_PAGE = 10_000;

export interface ReviewsServiceOptions {
  /** The JSONL review store (data/reviews/reviews.jsonl after a seed). */
  file: string;
  port: number;
  host?: string;
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
 * A stored review carries its store line number and ordersSharingReviewId, exactly as ReviewsSource holds it.
 */
export async function startReviewsService(options: ReviewsServiceOptions): Promise<RunningReviewsService> {
  const store = await ReviewsSource.open(options.file);
  const all = store.all();
  const requests = new Map<string, number>();
  const send = (response: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (request.method !== 'GET') return send(response, 405, { error: 'only GET' });
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

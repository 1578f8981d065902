/**
 * RestReviewsSource over real HTTP against the review service (`serve-reviews`) serving the seeded JSONL
 * store: the same answers as the JSONL ReviewsSource, batched requests, retries with backoff on 5xx,
 * timeouts, and a clear error once the service is gone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnv } from '../../../src/shared';
import { embeddedStorePaths, RestReviewsSource, ReviewsServiceError, ReviewsSource, SourceQueryLog } from '../../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../../src/upstreams/reviews-service';
import { UNKNOWN_ID } from '../../helpers/seeded-sources';

const storeFile = embeddedStorePaths(configFromEnv().dataDir).reviews;
let local: ReviewsSource;
let service: RunningReviewsService;
const options = (baseUrl: string, overrides: Partial<Parameters<typeof RestReviewsSource.open>[0]> = {}) => ({
  baseUrl,
  timeoutMs: 2000,
  retries: 3,
  backoffMs: 20,
  batchSize: 100,
  ...overrides,
});

beforeAll(async () => {
  local = await ReviewsSource.open(storeFile);
  service = await startReviewsService({ file: storeFile, port: 0 });
});

afterAll(async () => {
  await service?.close();
});

/** A throwaway HTTP server on a free port. */
async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('RestReviewsSource against the review service', () => {
  test('answers exactly what the JSONL store answers: lines, documents, ordersSharingReviewId, store size', async () => {
    const rest = await RestReviewsSource.open(options(service.url));
    expect(rest.size).toBe(local.size);
    const orderIds = [
      ...new Set(
        local
          .all()
          .slice(0, 350)
          .map((review) => review.document.order_id),
      ),
    ];
    const keys = [...orderIds.slice(0, 100), UNKNOWN_ID, ...orderIds.slice(100), orderIds[0]];
    expect(await rest.reviewsByOrderIds(keys)).toEqual(await local.reviewsByOrderIds(keys));
    expect(await rest.all()).toEqual(local.all());
  });

  test('one lookup is one logged statement and ceil(ids / batchSize) GET /reviews requests', async () => {
    const log = new SourceQueryLog();
    const rest = await RestReviewsSource.open(options(service.url, { batchSize: 100 }), log);
    const orderIds = [
      ...new Set(
        local
          .all()
          .slice(0, 400)
          .map((review) => review.document.order_id),
      ),
    ].slice(0, 250);
    const before = service.requests.get('/reviews') ?? 0;
    await rest.reviewsByOrderIds([...orderIds, ...orderIds]);
    expect((service.requests.get('/reviews') ?? 0) - before).toBe(3);
    expect(rest.requests).toBe(3);
    expect(log.snapshot()).toEqual({ reviews: 1 });
  });

  test('5xx answers are retried with backoff, then the answer comes through', async () => {
    let calls = 0;
    const flaky = await listen((request, response) => {
      calls += 1;
      if (request.url?.startsWith('/reviews') && calls <= 3) {
        response.writeHead(503).end('busy');
        return;
      }
      fetch(`${service.url}${request.url}`).then(async (upstream) =>
        response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text()),
      );
    });
    try {
      const rest = await RestReviewsSource.open(options(flaky.url)); // /healthz: call 1, passes through
      const orderId = local.all()[0].document.order_id;
      expect(await rest.reviewsByOrderIds([orderId])).toEqual(await local.reviewsByOrderIds([orderId]));
      expect(rest.requests).toBe(3); // 503, 503, then 200
    } finally {
      await flaky.close();
    }
  });

  test('a service that does not answer in time: each try times out, then a clear error', async () => {
    const stuck = await listen(() => undefined); // accepts, never answers
    try {
      const started = Date.now();
      const error = await RestReviewsSource.open(options(stuck.url, { timeoutMs: 150, retries: 2, backoffMs: 10 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReviewsServiceError);
      expect((error as ReviewsServiceError).attempts).toBe(3);
      expect((error as Error).message).toMatch(
        /^Reviews service unavailable: GET http:\/\/127\.0\.0\.1:\d+\/healthz failed 3 time\(s\); last error: timed out/,
      );
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await stuck.close();
    }
  });

  test('client errors (4xx) are not retried', async () => {
    let calls = 0;
    const missing = await listen((_request, response) => {
      calls += 1;
      response.writeHead(404).end('no such path');
    });
    try {
      await expect(RestReviewsSource.open(options(missing.url))).rejects.toThrow(/answered HTTP 404: no such path/);
      expect(calls).toBe(1);
    } finally {
      await missing.close();
    }
  });

  test('the service killed mid-test: lookups retry with backoff, then fail with a clear error', async () => {
    const doomed = await startReviewsService({ file: storeFile, port: 0 });
    const rest = await RestReviewsSource.open(options(doomed.url, { retries: 3, backoffMs: 20 }));
    const orderId = local.all()[0].document.order_id;
    expect(await rest.reviewsByOrderIds([orderId])).toEqual(await local.reviewsByOrderIds([orderId]));
    await doomed.close();
    const sent = rest.requests;
    const error = await rest.reviewsByOrderIds([orderId]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewsServiceError);
    expect((error as Error).message).toMatch(
      /^Reviews service unavailable: GET http:\/\/127\.0\.0\.1:\d+\/reviews\?orderIds=[0-9a-f]{32} failed 4 time\(s\); last error: fetch failed \(ECONNREFUSED\)$/,
    );
    expect(rest.requests - sent).toBe(4);
  });
});

/**
 * The review service (a real HTTP upstream, the `serve-reviews` command in its own child process) is
 * killed mid-run: only the fields it feeds are null, each with SOURCE_UNAVAILABLE naming "reviews" and
 * its path; the rest answers, the breaker opens (/readyz says "degraded"), and once the service is
 * started again on the same port the graph recovers by itself.
 */
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, openSources, type Sources } from '../../src/sources';
import { startCliChild, type CliChild } from '../helpers/cli-child';
import { postQuery } from '../helpers/graphql-client';
import { codedErrors, recordRecovery, waitUntil } from './fault-helpers';

const dataDir = configFromEnv().dataDir;
const reviewsFile = embeddedStorePaths(dataDir).reviews;
let reviews: CliChild | undefined;
let reviewsUrl: string;
let sources: Sources;
let server: RunningServer;
let orderId: string;
let scores: number[];

type OrderAnswer = { order: { id: string; status: string; itemsTotal: number; reviews: { score: number }[] | null } | null };
const QUERY = 'query ($id: ID!) { order(id: $id) { id status itemsTotal reviews { score } } }';

const startReviewsChild = (port: number) => startCliChild(['serve-reviews', '--file', reviewsFile, '--port', String(port)], /ready at (http:\/\/\S+)/);

beforeAll(async () => {
  reviews = await startReviewsChild(0);
  reviewsUrl = reviews.ready;
  const base = embeddedSourcesConfig(dataDir);
  const config: SourcesConfig = {
    ...base,
    origin: { kind: 'file', file: '(reliability test: reviews over HTTP)' },
    sources: { ...base.sources, reviews: { kind: 'rest', baseUrl: reviewsUrl, timeoutMs: 1000, retries: 2, backoffMs: 20, batchSize: 200 } },
  };
  sources = await openSources(config);
  server = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
  const page = await postQuery<{ orders: { edges: { node: { id: string; reviews: { score: number }[] } }[] } }>(
    server.url,
    '{ orders(first: 20) { edges { node { id reviews { score } } } } }',
  );
  const reviewed = page.body.data!.orders.edges.find((edge) => edge.node.reviews.length > 0)!.node;
  orderId = reviewed.id;
  scores = reviewed.reviews.map((review) => review.score);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sources?.close();
  await reviews?.stop();
});

const ask = () => postQuery<OrderAnswer>(server.url, QUERY, { id: orderId });
const breakerOf = async (source: string) => {
  const ready = (await (await fetch(server.url.replace('/graphql', '/readyz'))).json()) as {
    status: string;
    sources: { source: string; breaker: string; lastError?: { message: string } }[];
  };
  return { status: ready.status, health: ready.sources.find((entry) => entry.source === source)! };
};

test('with the service up, the order and its reviews answer without errors', async () => {
  const answer = await ask();
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data!.order!.reviews!.map((review) => review.score)).toEqual(scores);
  expect(await breakerOf('reviews')).toMatchObject({ status: expect.stringMatching(/ready|degraded/), health: { breaker: 'closed' } });
});

test('service stopped: reviews null with SOURCE_UNAVAILABLE naming the source and path, the rest answers; then recovery on restart', async () => {
  const port = Number(new URL(reviewsUrl).port);
  // Killed, not shut down: in-flight and keep-alive connections die with it.
  expect(await reviews!.stop('SIGKILL')).toBeNull();
  reviews = undefined;

  const down = await ask();
  expect(down.status).toBe(200);
  expect(down.body.data!.order).toMatchObject({ id: orderId, status: expect.any(String), itemsTotal: expect.any(Number), reviews: null });
  expect(codedErrors(down.body)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'reviews', path: 'order.reviews' }]);
  expect(down.body.errors![0].message).toBe('Source "reviews" is unavailable');

  // Repeated failures open the breaker: calls then fail fast, /readyz says which source and why.
  const openedIn = await waitUntil(
    async () => {
      const answer = await ask();
      expect(codedErrors(answer.body)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'reviews', path: 'order.reviews' }]);
      return (await breakerOf('reviews')).health.breaker === 'open';
    },
    { timeoutMs: 15_000, what: 'the reviews breaker opening' },
  );
  const degraded = await breakerOf('reviews');
  expect(degraded.status).toBe('degraded');
  expect(degraded.health.lastError?.message).toMatch(/Reviews service unavailable|Breaker is open/);

  const restarted = Date.now();
  reviews = await startReviewsChild(port);
  const recoveredIn = await waitUntil(
    async () => {
      const answer = await ask();
      return answer.body.errors === undefined && answer.body.data!.order!.reviews !== null;
    },
    { timeoutMs: 5000, intervalMs: 50, what: 'recovery after the review service restarted' },
  );
  const recovered = await ask();
  expect(recovered.body.errors).toBeUndefined();
  expect(recovered.body.data!.order!.reviews!.map((review) => review.score)).toEqual(scores);
  expect((await breakerOf('reviews')).health.breaker).toBe('closed');
  expect(recoveredIn).toBeLessThanOrEqual(5000);
  recordRecovery('rest-reviews-service-restart', {
    breakerOpenedAfterMs: openedIn,
    recoveredAfterRestartMs: recoveredIn,
    restartedAt: new Date(restarted).toISOString(),
  });
}, 60_000);

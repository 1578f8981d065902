/**
 * Graceful shutdown, driven through the same handler `serve` installs (runUntilSignal) with a SIGTERM:
 * an operation in flight (held at a real upstream: the review service behind a gate the test opens)
 * finishes with its full answer, new connections are refused at once, then everything closes.
 */
import net from 'node:net';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { runUntilSignal } from '../../src/cli/run-until-signal';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { healthProbes } from '../../src/gateway/probes';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, openSources, type Sources } from '../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';
import { postQuery } from '../helpers/graphql-client';
import { waitUntil } from './fault-helpers';

const dataDir = configFromEnv().dataDir;
let reviews: RunningReviewsService;
let gate: GatedProxy;
let sources: Sources;
let server: RunningServer;

/** A TCP proxy that, while closed, holds the bytes clients send (the request waits at the upstream's door). */
interface GatedProxy {
  port: number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

async function startGatedProxy(targetPort: number): Promise<GatedProxy> {
  let held = false;
  const waiting: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => (held ? waiting.push(() => upstream.write(chunk)) : upstream.write(chunk)));
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    hold: () => (held = true),
    release: () => {
      held = false;
      for (const send of waiting.splice(0)) send();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

beforeAll(async () => {
  reviews = await startReviewsService({ file: embeddedStorePaths(dataDir).reviews, port: 0 });
  gate = await startGatedProxy(reviews.port);
  const base = embeddedSourcesConfig(dataDir);
  const config: SourcesConfig = {
    ...base,
    origin: { kind: 'file', file: '(reliability test: shutdown)' },
    sources: {
      ...base.sources,
      reviews: { kind: 'rest', baseUrl: `http://127.0.0.1:${gate.port}`, timeoutMs: 30_000, retries: 0, backoffMs: 10, batchSize: 200 },
    },
  };
  sources = await openSources(config);
  server = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
}, 60_000);

afterAll(async () => {
  gate?.release();
  await server?.close();
  await sources?.close();
  await gate?.close();
  await reviews?.close();
});

const connects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

test('SIGTERM: the in-flight operation completes, new connections are refused, then the server is closed', async () => {
  const page = await postQuery<{ orders: { edges: { node: { id: string; reviews: { score: number }[] } }[] } }>(
    server.url,
    '{ orders(first: 10) { edges { node { id reviews { score } } } } }',
  );
  expect(page.body.errors).toBeUndefined();
  const expected = page.body.data!;

  gate.hold();
  const inFlight = postQuery<typeof expected>(server.url, '{ orders(first: 10) { edges { node { id reviews { score } } } } }');
  const reviewsHealth = async () => {
    const ready = (await (await fetch(server.url.replace('/graphql', '/readyz'))).json()) as { sources: { source: string; inFlight: number }[] };
    return ready.sources.find((entry) => entry.source === 'reviews')!;
  };
  await waitUntil(async () => (await reviewsHealth()).inFlight > 0, { timeoutMs: 10_000, what: 'the operation reaching the review service' });

  const lines: string[] = [];
  const stopped = runUntilSignal(server, (line) => lines.push(line));
  process.emit('SIGTERM', 'SIGTERM');

  await waitUntil(async () => !(await connects(server.port)), { timeoutMs: 5000, what: 'new connections refused' });
  let closed = false;
  void stopped.then(() => (closed = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toBe(false); // still draining: the operation is held at the gate

  gate.release();
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data).toEqual(expected);
  await stopped;
  expect(lines[0]).toMatch(/^SIGTERM: draining/);
  expect(lines.at(-1)).toMatch(/^shut down in \d+ ms$/);
  expect(await connects(server.port)).toBe(false);
}, 60_000);

test('/readyz answers 503 "draining" while the server drains, 200 otherwise', async () => {
  const probes = healthProbes({ mode: 'test' }, () => ({ sources: [{ source: 'crm', breaker: 'closed' }] }));
  expect(await probes['/readyz']({ draining: false })).toMatchObject({ status: 200, body: { status: 'ready' } });
  expect(await probes['/readyz']({ draining: true })).toMatchObject({ status: 503, body: { status: 'draining' } });
  const degraded = healthProbes({}, () => ({ sources: [{ source: 'orders', breaker: 'open' }] }));
  expect(await degraded['/readyz']({ draining: false })).toMatchObject({ status: 200, body: { status: 'degraded' } });
});

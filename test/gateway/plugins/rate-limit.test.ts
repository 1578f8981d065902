import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { openTestSources } from '../../helpers/backends';
import type { Sources } from '../../../src/sources';
import { as, codes, post, startHardenedServer, type HardenedServer } from './hardened-server';
import { describeWithServices, serviceUrl } from '../../helpers/test-services';

const QUERY = { query: '{ __typename }' };
const tinyBudgets = { anonymous: { points: 3, durationSeconds: 3_600 }, bi: { points: 3, durationSeconds: 3_600 } };

/** Per-client token buckets: the 4th request of a 3-request budget is refused, others keep theirs. */
describe('rate limits in memory', () => {
  let server: HardenedServer;
  beforeAll(async () => {
    server = await startHardenedServer({ rateLimit: { enabled: true, budgets: tinyBudgets } });
  });
  afterAll(() => server.close());

  it('refuses the 4th anonymous request with 429 RATE_LIMITED and Retry-After', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await post(server.url, QUERY);
      expect(reply.status).toBe(200);
      remaining.push(reply.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await post(server.url, QUERY);
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3_000);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(refused.body.errors![0].extensions).toMatchObject({ retryAfterSeconds: retryAfter });
  });

  it('counts each credential on its own budget, whatever its address', async () => {
    for (let i = 0; i < 3; i++) expect((await post(server.url, QUERY, await as('bi', 'key-a'))).status).toBe(200);
    expect((await post(server.url, QUERY, await as('bi', 'key-a'))).status).toBe(429);
    expect((await post(server.url, QUERY, await as('bi', 'key-b'))).status).toBe(200);
  });

  it('gives roles their own budgets (admin keeps the default)', async () => {
    for (let i = 0; i < 5; i++) expect((await post(server.url, QUERY, await as('admin'))).status).toBe(200);
  });
});

describeWithServices(['redis'], 'rate limits in Redis', () => {
  const prefix = `fusion:test:rate:${randomUUID()}:`;
  let redis: Redis;
  let sources: Sources;
  let first: HardenedServer;
  let second: HardenedServer;
  beforeAll(async () => {
    redis = new Redis(serviceUrl('redis'), { lazyConnect: true });
    await redis.connect();
    sources = await openTestSources();
    const limits = { rateLimit: { enabled: true, redis: serviceUrl('redis'), keyPrefix: prefix, budgets: tinyBudgets } };
    first = await startHardenedServer(limits, 'embedded', sources);
    second = await startHardenedServer(limits, 'embedded', sources);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await sources.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shares one budget between instances', async () => {
    expect((await post(first.url, QUERY, await as('bi', 'shared'))).status).toBe(200);
    expect((await post(second.url, QUERY, await as('bi', 'shared'))).status).toBe(200);
    expect((await post(first.url, QUERY, await as('bi', 'shared'))).status).toBe(200);
    const refused = await post(second.url, QUERY, await as('bi', 'shared'));
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await redis.keys(`${prefix}bi*`)).toHaveLength(1);
  });

  it('a Redis that cannot be reached stops start-up with a clear error', async () => {
    await expect(startHardenedServer({ rateLimit: { enabled: true, redis: 'redis://127.0.0.1:1', keyPrefix: prefix } }, 'embedded', sources)).rejects.toThrow(
      /Rate-limit Redis cannot be reached/,
    );
  });
});

// Starts a Redis server of its own (the binary comes with the Redis that CI runs).
describeWithServices(['redis'], 'rate limits when Redis goes away', () => {
  let redisServer: ChildProcess;
  let port: number;
  let server: HardenedServer;
  beforeAll(async () => {
    port = await freePort();
    // A Redis of this test's own, so it can be stopped mid-run without touching the shared one.
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await untilRedisAnswers(port);
    server = await startHardenedServer({ rateLimit: { enabled: true, redis: `redis://127.0.0.1:${port}`, budgets: tinyBudgets } });
  });
  afterAll(async () => {
    await server?.close();
    if (redisServer.exitCode === null && redisServer.signalCode === null) redisServer.kill();
  });

  it('falls back to an in-memory budget per instance: still answered, still limited, never a 5xx', async () => {
    const headers = await as('bi', 'outage');
    expect((await post(server.url, QUERY, headers)).status).toBe(200);
    const stopped = new Promise((resolve) => redisServer.once('exit', resolve));
    redisServer.kill('SIGTERM');
    await stopped;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(server.url, QUERY, headers)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Waits (up to ~10 s) until a freshly started redis-server accepts connections. */
async function untilRedisAnswers(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.quit();
      return;
    } catch {
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

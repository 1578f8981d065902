/**
 * The same graph over production back-ends: CRM and orders on PostgreSQL, catalog on MariaDB, reviews from
 * the review service over HTTP, the Redis entity cache. Every canonical operation (test/operations) must
 * answer byte-identical JSON to the embedded gateway (SQLite + files), with a cold cache and a warm one.
 *
 * Embedded run (no FUSION_CONFIG): a consistent cut of the dataset (the first 3,000 orders and everything they
 * reference) is seeded into a temporary embedded store and into throwaway PostgreSQL/MariaDB databases
 * created and dropped here (the full seed takes ~35 s; the production-like run covers the full data).
 * Production-like run (FUSION_CONFIG): the configured back-ends, seeded with the full data by global-setup,
 * against the embedded stores of the same full data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalOperations, canonicalRequests, postCanonical, type CanonicalRequest } from '../../bench/canonical-set';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { seedConfiguredStores, seedEmbeddedStores } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, openEmbeddedSources, openSources, type Sources } from '../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';
import { productionLike, testSourcesConfig } from '../helpers/backends';
import { testSecurityConfig } from '../helpers/credentials';
import { consistentCut } from '../helpers/consistent-cut';
import { createThrowawayDatabases, serverSourcesConfig, type ThrowawayDatabases } from '../helpers/throwaway-databases';
import { describeWithServices, serviceUrl } from '../helpers/test-services';

describeWithServices(productionLike() ? [] : ['postgresql', 'mysql', 'redis'], 'production back-ends', () => {
  const CUT_ROWS = 3000;
  let cleanup: (() => Promise<void>)[] = [];
  let production: { config: SourcesConfig; sources: Sources; server: RunningServer };
  let embedded: { sources: Sources; server: RunningServer };
  let requests: CanonicalRequest[];
  let mode: string;

  const graphqlUrl = (server: RunningServer) => `http://127.0.0.1:${server.port}/graphql`;

  beforeAll(async () => {
    const configured = testSourcesConfig();
    let productionConfig: SourcesConfig;
    let embeddedDataDir: string;
    if (configured.origin.kind === 'file') {
      mode = `configured back-ends (${configured.origin.file}), full data`;
      productionConfig = configured;
      embeddedDataDir = configFromEnv().dataDir;
    } else {
      mode = `throwaway PostgreSQL + MariaDB + review service + Redis, the first ${CUT_ROWS} orders and what they reference`;
      const datasetDir = consistentCut(CUT_ROWS);
      embeddedDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-prod-e2e-'));
      cleanup.push(async () => {
        fs.rmSync(datasetDir, { recursive: true, force: true });
        fs.rmSync(embeddedDataDir, { recursive: true, force: true });
      });
      await seedEmbeddedStores({ datasetDir, dataDir: embeddedDataDir });
      const databases: ThrowawayDatabases = await createThrowawayDatabases('e2e', ['postgresql', 'mysql']);
      cleanup.push(() => databases.drop());
      const reviews: RunningReviewsService = await startReviewsService({ file: embeddedStorePaths(embeddedDataDir).reviews, port: 0 });
      cleanup.push(() => reviews.close());
      productionConfig = serverSourcesConfig(databases, embeddedDataDir, 'shop', {
        reviewsUrl: reviews.url,
        cache: {
          kind: 'redis',
          url: serviceUrl('redis'),
          ttlSeconds: 120,
          keyPrefix: `fusion-test:${crypto.randomBytes(4).toString('hex')}:`,
          commandTimeoutMs: 500,
        },
      });
      await seedConfiguredStores(productionConfig, { datasetDir });
    }
    // Both servers verify the suite's credentials (the dev secret of the suite's data folder), whatever folder they serve.
    const serverOptions = {
      dataDir: embeddedDataDir,
      port: 0,
      host: '127.0.0.1',
      scoring: false as const,
      config: { ...embeddedSourcesConfig(embeddedDataDir), security: testSecurityConfig() },
    };
    const productionSources = await openSources(productionConfig);
    cleanup.unshift(async () => {
      await productionSources.cache?.invalidate();
      await productionSources.close();
    });
    const embeddedSources = await openEmbeddedSources(embeddedDataDir);
    cleanup.unshift(() => embeddedSources.close());
    const productionServer = await startEmbeddedGateway({ ...serverOptions, sources: productionSources });
    cleanup.unshift(() => productionServer.close());
    const embeddedServer = await startEmbeddedGateway({ ...serverOptions, sources: embeddedSources });
    cleanup.unshift(() => embeddedServer.close());
    production = { config: productionConfig, sources: productionSources, server: productionServer };
    embedded = { sources: embeddedSources, server: embeddedServer };
    requests = await canonicalRequests(embeddedSources);
  }, 240_000);

  afterAll(async () => {
    for (const step of cleanup) await step();
    cleanup = [];
  });

  /** Both gateways answer `request` with status 200, no errors, and byte-identical bodies. */
  async function expectIdentical(request: CanonicalRequest): Promise<Record<string, unknown>> {
    const [one, two] = await Promise.all([postCanonical(graphqlUrl(embedded.server), request), postCanonical(graphqlUrl(production.server), request)]);
    const label = request.label;
    const body = JSON.parse(one.text) as { data?: Record<string, unknown>; errors?: unknown };
    expect({ label, status: one.status, errors: body.errors }).toEqual({ label, status: 200, errors: undefined });
    expect({ label, production: two.text }).toEqual({ label, production: one.text });
    return body.data ?? {};
  }

  /** Every `endCursor` with `hasNextPage` in an answer, as `{ field path: cursor }`. */
  function nextCursors(data: unknown, at = ''): [string, string][] {
    if (data === null || typeof data !== 'object') return [];
    const found: [string, string][] = [];
    const record = data as Record<string, unknown>;
    const pageInfo = record.pageInfo as { hasNextPage?: boolean; endCursor?: string } | undefined;
    if (pageInfo?.hasNextPage && pageInfo.endCursor) found.push([at, pageInfo.endCursor]);
    for (const [key, value] of Object.entries(record)) if (key !== 'pageInfo') found.push(...nextCursors(value, at ? `${at}.${key}` : key));
    return found;
  }

  describe('production back-ends answer the canonical operations exactly like the embedded stores', () => {
    test('the back-ends are what the test says', () => {
      console.log(`production back-ends e2e: ${mode}`);
      expect(production.sources.backends).toMatchObject({
        crm: expect.stringMatching(/^postgresql /),
        catalog: expect.stringMatching(/^mysql /),
        orders: expect.stringMatching(/^postgresql /),
        reviews: expect.stringMatching(/^rest http/),
      });
      expect(requests.length).toBeGreaterThanOrEqual(30);
      // Every operation of test/operations is in the set.
      expect(new Set(requests.map((r) => r.operationName))).toEqual(new Set(canonicalOperations().keys()));
    });

    test('every canonical operation, then the next page of each top-level listing (cold cache)', async () => {
      for (const request of requests) {
        const data = await expectIdentical(request);
        if (request.operationName === 'OrderListing' || request.operationName === 'UsersByState') {
          for (const [field, cursor] of nextCursors(data).filter(([field]) => !field.includes('.'))) {
            expect(field).toMatch(/^(orders|users)$/);
            await expectIdentical({ ...request, label: `${request.label} after`, variables: { ...request.variables, after: cursor } });
          }
        }
      }
    });

    test('again with a warm entity cache: identical answers, cache hits, hit ratio in /readyz', async () => {
      const cache = production.sources.cache;
      if (!cache) {
        expect(production.config.cache).toBeUndefined();
        return;
      }
      cache.resetStats();
      for (const request of requests) await expectIdentical(request);
      const stats = cache.stats();
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.hitRatio).toBeGreaterThan(0);
      const ready = (await (await fetch(`http://127.0.0.1:${production.server.port}/readyz`)).json()) as { entityCache: { hits: number; hitRatio: number } };
      expect(ready.entityCache.hits).toBeGreaterThanOrEqual(stats.hits);
      expect(ready.entityCache.hitRatio).toBeGreaterThan(0);
    });

    test('the data quality report (every source row reconciled) is the same over both', async () => {
      const request: CanonicalRequest = {
        label: 'dataQuality',
        operationName: 'DataQuality',
        query: 'query DataQuality { dataQuality { balanced tables { table source read served merged rejected flagged } } }',
        variables: {},
      };
      const data = await expectIdentical(request);
      expect((data.dataQuality as { balanced: boolean }).balanced).toBe(true);
    });
  });
});

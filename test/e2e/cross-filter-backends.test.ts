/**
 * The connections' cross-system filters and sorts on the production-like engines: the order system's
 * keyset statement (inlined key lists, EXISTS on the lines, NOT IN exclusions) and the rating ranking on
 * PostgreSQL and on MariaDB must serve byte-identical pages to the embedded SQLite store, and the ids
 * the dataset files give, walked to the last page. The planner is also run on each engine's sources with
 * a tiny pushed-list limit, so the dense-key plan (membership tests on scanned batches) is checked there too.
 *
 * Embedded run (no FUSION_CONFIG): a consistent cut of the dataset (the first 3,000 orders and what they
 * reference) in a temporary embedded store and in throwaway databases. Production-like run (FUSION_CONFIG):
 * the configured back-ends with the full data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { CategoryDictionary, createCrossKeyIndex, createReferenceMaps, orderListPage, type OrderListRequest } from '../../src/fusion';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { seedConfiguredStores, seedEmbeddedStores } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import { openEmbeddedSources, openSources, type Sources } from '../../src/sources';
import { productionLike, testSourcesConfig } from '../helpers/backends';
import { consistentCut } from '../helpers/consistent-cut';
import { testSecurityConfig } from '../helpers/credentials';
import { oracleOrderIds, oracleProductIds, type OrderOracleQuery, type ProductOracleQuery } from '../helpers/cross-filter-oracle';
import { ORDERS_QUERY, PRODUCTS_QUERY, walkPages } from '../helpers/cross-filter-pages';
import { postQuery } from '../helpers/graphql-client';
import { OlistOracle, olistOracle } from '../helpers/olist-oracle';
import { createThrowawayDatabases, serverSourcesConfig, type ThrowawayDatabases } from '../helpers/throwaway-databases';
import { describeWithServices } from '../helpers/test-services';

const ORDER_QUESTIONS: OrderOracleQuery[] = [
  { customerState: 'SP', category: 'bed_bath_table', minReviewScore: 4 },
  { customerState: 'RJ', direction: 'desc' },
  { minReviewScore: 4, maxReviewScore: 4 },
  { maxReviewScore: 2, category: 'health_beauty', direction: 'desc' },
];
const PRODUCT_QUESTIONS: ProductOracleQuery[] = [
  { sort: 'averageRating', direction: 'desc' },
  { sort: 'averageRating', direction: 'asc', category: 'bed_bath_table' },
  { sort: 'id', direction: 'desc', minAverageRating: 4.5 },
];

describeWithServices(productionLike() ? [] : ['postgresql', 'mysql'], 'cross-system filters on PostgreSQL and MariaDB', () => {
  const CUT_ROWS = 3000;
  const cleanup: (() => Promise<void>)[] = [];
  let oracle: OlistOracle;
  let embedded: RunningServer;
  const engines: { name: string; server: RunningServer; sources: Sources }[] = [];

  beforeAll(async () => {
    const configured = testSourcesConfig();
    let dataDir: string;
    const serverConfigs: { name: string; config: SourcesConfig }[] = [];
    if (configured.origin.kind === 'file') {
      dataDir = configFromEnv().dataDir;
      oracle = olistOracle();
      serverConfigs.push({ name: 'configured', config: configured });
    } else {
      const datasetDir = consistentCut(CUT_ROWS);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-cross-filter-'));
      cleanup.push(async () => {
        fs.rmSync(datasetDir, { recursive: true, force: true });
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      oracle = new OlistOracle(datasetDir);
      await seedEmbeddedStores({ datasetDir, dataDir });
      const databases: ThrowawayDatabases = await createThrowawayDatabases('xfilter', ['postgresql', 'mysql']);
      cleanup.push(() => databases.drop());
      for (const provider of ['postgresql', 'mysql'] as const) {
        const config = serverSourcesConfig(databases, dataDir, provider);
        await seedConfiguredStores(config, { datasetDir });
        serverConfigs.push({ name: provider, config });
      }
    }
    const options = {
      dataDir,
      port: 0,
      host: '127.0.0.1',
      scoring: false as const,
      config: { ...embeddedSourcesConfig(dataDir), security: testSecurityConfig() },
    };
    const start = async (sources: Sources) => {
      cleanup.unshift(() => sources.close());
      const server = await startEmbeddedGateway({ ...options, sources });
      cleanup.unshift(() => server.close());
      return server;
    };
    embedded = await start(await openEmbeddedSources(dataDir));
    for (const { name, config } of serverConfigs) {
      const sources = await openSources(config);
      engines.push({ name, server: await start(sources), sources });
    }
  }, 300_000);

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  const url = (server: RunningServer) => `http://127.0.0.1:${server.port}/graphql`;

  test.each(ORDER_QUESTIONS.map((q) => [JSON.stringify(q), q] as const))(
    'orders %s: every page the same on every engine, and the dataset’s ids',
    async (_label, query) => {
      const variables = {
        first: 40,
        filter: { customerState: query.customerState, category: query.category, minReviewScore: query.minReviewScore, maxReviewScore: query.maxReviewScore },
        orderBy: query.direction ? { purchasedAt: query.direction.toUpperCase() } : undefined,
      };
      const expected = oracleOrderIds(oracle, query);
      expect(expected.length).toBeGreaterThan(0);
      const walk = await walkPages(url(embedded), ORDERS_QUERY, 'orders', variables);
      expect(walk.ids).toEqual(expected);
      expect(walk.totalCount).toBe(expected.length);
      const first = await postQuery(url(embedded), ORDERS_QUERY, variables);
      for (const engine of engines) {
        expect({ engine: engine.name, walk: await walkPages(url(engine.server), ORDERS_QUERY, 'orders', variables) }).toEqual({ engine: engine.name, walk });
        const answer = await postQuery(url(engine.server), ORDERS_QUERY, variables);
        expect({ engine: engine.name, text: answer.text }).toEqual({ engine: engine.name, text: first.text });
      }
    },
    300_000,
  );

  test.each(PRODUCT_QUESTIONS.map((q) => [JSON.stringify(q), q] as const))(
    'products %s: the same pages on every engine, and the dataset’s ids',
    async (_label, query) => {
      const variables = {
        first: 100,
        category: query.category,
        filter: { minAverageRating: query.minAverageRating, maxAverageRating: query.maxAverageRating },
        orderBy: { [query.sort]: (query.direction ?? 'asc').toUpperCase() },
      };
      const expected = oracleProductIds(oracle, query);
      const walk = await walkPages(url(embedded), PRODUCTS_QUERY, 'products', variables, undefined, 5);
      expect(walk.ids).toEqual(expected.slice(0, walk.ids.length));
      expect(walk.ids.length).toBe(Math.min(expected.length, 500));
      expect(walk.totalCount).toBe(expected.length);
      for (const engine of engines) {
        expect({ engine: engine.name, walk: await walkPages(url(engine.server), PRODUCTS_QUERY, 'products', variables, undefined, 5) }).toEqual({
          engine: engine.name,
          walk,
        });
      }
    },
    300_000,
  );

  test('the dense-key plan (membership on scanned batches) gives the pushed plan’s pages on every engine', async () => {
    for (const engine of engines) {
      const categories = new CategoryDictionary(await engine.sources.catalog.categoryTranslations());
      const index = createCrossKeyIndex(engine.sources, createReferenceMaps(engine.sources, categories));
      for (const query of ORDER_QUESTIONS) {
        const expected = oracleOrderIds(oracle, query);
        const served: string[] = [];
        let after: OrderListRequest['after'];
        for (;;) {
          const request: OrderListRequest = {
            customerState: query.customerState,
            categoryNames: query.category ? categories.rawNamesFor(query.category) : undefined,
            minReviewScore: query.minReviewScore,
            maxReviewScore: query.maxReviewScore,
            direction: query.direction ?? 'asc',
            after,
            limit: 7,
          };
          const page = await orderListPage(engine.sources, index, request, {}, { pushedKeysMax: 10 });
          served.push(...page.orders.map((order) => order.orderId));
          if (page.orders.length < 7) break;
          const last = page.orders[page.orders.length - 1];
          after = { purchaseTimestamp: last.purchaseTimestamp, orderId: last.orderId };
        }
        expect({ engine: engine.name, query, served }).toEqual({ engine: engine.name, query, served: expected });
      }
    }
  }, 300_000);
});

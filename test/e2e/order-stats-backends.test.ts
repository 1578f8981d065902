/**
 * Query.orderStats on the production-like engines: the order system's grouped statement (date functions,
 * placeholders, numeric types) on PostgreSQL and on MariaDB must answer byte-identical JSON to the embedded
 * SQLite store, and the figures the dataset files give.
 *
 * Embedded run (no FUSION_CONFIG): a consistent cut of the dataset (the first 3,000 orders and what they
 * reference) in a temporary embedded store and in throwaway databases — every system on PostgreSQL, then
 * every system on MariaDB. Production-like run (FUSION_CONFIG): the configured back-ends with the full data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { seedConfiguredStores, seedEmbeddedStores } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import { openEmbeddedSources, openSources, type Sources } from '../../src/sources';
import { OrderStatsDocument, OrderStatsWithReviewsDocument, type OrderStatsDimension, type OrderStatsFilter } from '../generated/operations';
import { productionLike, testSourcesConfig } from '../helpers/backends';
import { consistentCut } from '../helpers/consistent-cut';
import { testSecurityConfig } from '../helpers/credentials';
import { execute } from '../helpers/graphql-client';
import { OlistOracle, olistOracle } from '../helpers/olist-oracle';
import { expectSameGroups, oracleOrderStats, type Dim, type OracleFilter } from '../helpers/order-stats-oracle';
import { createThrowawayDatabases, serverSourcesConfig, type ThrowawayDatabases } from '../helpers/throwaway-databases';
import { describeWithServices } from '../helpers/test-services';

const QUESTIONS: { groupBy: Dim[]; filter?: OracleFilter; reviews?: boolean }[] = [
  { groupBy: ['PURCHASE_MONTH', 'ORDER_STATUS'] },
  { groupBy: ['PURCHASE_WEEK'] },
  { groupBy: ['PURCHASE_DAY'], filter: { purchaseMonths: ['2017-11', '2018-01'] } },
  { groupBy: ['PAYMENT_TYPE', 'SELLER_STATE'] },
  { groupBy: ['CUSTOMER_STATE'], filter: { statuses: ['DELIVERED'] } },
  { groupBy: ['PRODUCT_CATEGORY', 'PRODUCT_CATEGORY_PT'], filter: { sellerStates: ['SP'] } },
  { groupBy: ['SELLER'], filter: { paymentTypes: ['boleto'] } },
  { groupBy: ['PURCHASE_MONTH'], filter: { customerStates: ['RJ'], purchaseWeeks: ['2017-11-20', '2018-01-08'] } },
  { groupBy: ['CUSTOMER_STATE'], reviews: true },
  { groupBy: ['PRODUCT_CATEGORY'], reviews: true },
];

describeWithServices(productionLike() ? [] : ['postgresql', 'mysql'], 'Query.orderStats on PostgreSQL and MariaDB', () => {
  const CUT_ROWS = 3000;
  const cleanup: (() => Promise<void>)[] = [];
  let oracle: OlistOracle;
  let embedded: RunningServer;
  const engines: { name: string; server: RunningServer }[] = [];

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
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-order-stats-'));
      cleanup.push(async () => {
        fs.rmSync(datasetDir, { recursive: true, force: true });
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      oracle = new OlistOracle(datasetDir);
      await seedEmbeddedStores({ datasetDir, dataDir });
      const databases: ThrowawayDatabases = await createThrowawayDatabases('stats', ['postgresql', 'mysql']);
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
    for (const { name, config } of serverConfigs) engines.push({ name, server: await start(await openSources(config)) });
  }, 300_000);

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  test.each(
    QUESTIONS.map((question) => [`${question.groupBy.join(' × ')} ${JSON.stringify(question.filter ?? {})}${question.reviews ? ' reviews' : ''}`, question]),
  )(
    '%s: the same answer on every engine, and the dataset’s figures',
    async (_label, question) => {
      const variables = { groupBy: question.groupBy as OrderStatsDimension[], filter: question.filter as OrderStatsFilter | undefined, first: 500 };
      const ask = (server: RunningServer) =>
        question.reviews
          ? execute(`http://127.0.0.1:${server.port}/graphql`, OrderStatsWithReviewsDocument, variables)
          : execute(`http://127.0.0.1:${server.port}/graphql`, OrderStatsDocument, variables);
      const reference = await ask(embedded);
      expect(reference.body.errors).toBeUndefined();
      for (const engine of engines) {
        const answer = await ask(engine.server);
        expect({ engine: engine.name, text: answer.text }).toEqual({ engine: engine.name, text: reference.text });
      }
      const stats = reference.body.data!.orderStats!;
      const expected = oracleOrderStats(question.groupBy, question.filter, undefined, oracle);
      expect(stats.totalGroups).toBe(expected.length);
      expectSameGroups(question, stats.groups as unknown as Record<string, unknown>[], expected);
    },
    120_000,
  );
});

/** The sources configuration: validated at start-up, errors name the key, secrets from the environment. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, embeddedSourcesConfig, loadConfigFile, resolveConfig, sourcesConfigFromEnv } from '../../src/config/fusion-config';
import { redactSecrets } from '../../src/config/settings';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'config', 'production.example.json');
const ENV = {
  FUSION_CRM_DATABASE_URL: 'postgresql://fusion:s3cret@db:5432/crm',
  FUSION_CATALOG_DATABASE_URL: 'mysql://fusion:s3cret@maria:3306/catalog',
  FUSION_ORDERS_DATABASE_URL: 'postgresql://fusion:s3cret@db:5432/orders',
  FUSION_REVIEWS_URL: 'http://reviews:4010/',
  FUSION_REDIS_URL: 'redis://cache:6379/0',
};
const example = () => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));

test('the committed production example resolves: engines, secrets from env, paths under dataDir, defaults', () => {
  const config = loadConfigFile(EXAMPLE, { env: ENV, defaultDataDir: '/srv/fusion' });
  expect(config.origin).toEqual({ kind: 'file', file: EXAMPLE });
  expect(config.sources.crm).toEqual({ kind: 'prisma', provider: 'postgresql', url: ENV.FUSION_CRM_DATABASE_URL, poolSize: 5 });
  expect(config.sources.catalog.provider).toBe('mysql');
  expect(config.sources.reviews).toEqual({ kind: 'rest', baseUrl: 'http://reviews:4010', timeoutMs: 2000, retries: 3, backoffMs: 100, batchSize: 200 });
  expect(config.sources.geography).toEqual({ kind: 'csv', file: '/srv/fusion/geography/geolocation.csv' });
  expect(config.cache).toEqual({ kind: 'redis', url: ENV.FUSION_REDIS_URL, ttlSeconds: 300, keyPrefix: 'fusion:entity:', commandTimeoutMs: 500 });
});

test('no FUSION_CONFIG: the embedded layout under FUSION_DATA_DIR', () => {
  expect(sourcesConfigFromEnv({ FUSION_DATA_DIR: '/tmp/d' })).toEqual(embeddedSourcesConfig('/tmp/d'));
  expect(embeddedSourcesConfig('/tmp/d').sources.crm).toEqual({ kind: 'prisma', provider: 'sqlite', url: '/tmp/d/crm.db' });
});

test('invalid values fail with every offending key named', () => {
  const raw = example();
  raw.sources.crm.provider = 'oracle';
  raw.sources.reviews.timeoutMs = -1;
  raw.sources.catalog.owns = ['Order'];
  raw.cache.ttl = 5;
  let error: unknown;
  try {
    resolveConfig(raw, { env: ENV, file: 'fusion.json' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(/^fusion\.json: invalid configuration\n/);
  expect(message).toContain('  sources.crm.provider: ');
  expect(message).toContain('  sources.reviews.timeoutMs: ');
  expect(message).toContain('  sources.catalog.owns: the catalog system owns exactly Product, Seller, CategoryTranslation');
  expect(message).toContain('  cache: Unrecognized key: "ttl"');
});

test('a missing secret, a URL of the wrong engine and an unknown source kind are named', () => {
  const { FUSION_ORDERS_DATABASE_URL: _omitted, ...env } = ENV;
  const raw = example();
  raw.sources.catalog.url = 'postgresql://x@y/z';
  expect(() => resolveConfig(raw, { env })).toThrow(
    'invalid configuration\n  sources.catalog.url: expected a mysql:// or mariadb:// URL\n  sources.orders.url: environment variable FUSION_ORDERS_DATABASE_URL is not set',
  );
  const other = example();
  other.sources.reviews = { kind: 'grpc' };
  expect(() => resolveConfig(other, { env: ENV })).toThrow(/sources\.reviews\.kind: /);
  delete other.sources.geography;
  expect(() => resolveConfig(other, { env: ENV })).toThrow(/sources\.geography: /);
});

test('the review service write token (for replay) is a secret: from the environment, named when unset, redacted when shown', () => {
  const raw = example();
  raw.sources.reviews.writeToken = { env: 'FUSION_REVIEWS_WRITE_TOKEN' };
  const config = resolveConfig(raw, { env: { ...ENV, FUSION_REVIEWS_WRITE_TOKEN: 'w-token-1' } });
  expect(config.sources.reviews).toMatchObject({ kind: 'rest', writeToken: 'w-token-1' });
  expect(JSON.stringify(redactSecrets(config))).not.toContain('w-token-1');
  expect(() => resolveConfig(raw, { env: ENV })).toThrow('  sources.reviews.writeToken: environment variable FUSION_REVIEWS_WRITE_TOKEN is not set');
});

test('a config file that is not JSON, or absent, fails naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-config-'));
  try {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    expect(() => loadConfigFile(path.join(dir, 'bad.json'))).toThrow(`${path.join(dir, 'bad.json')}: not valid JSON`);
    expect(() => loadConfigFile(path.join(dir, 'absent.json'))).toThrow(`${path.join(dir, 'absent.json')}: cannot be read`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

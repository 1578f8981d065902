/**
 * `config print`: the configuration serve would run with — the file FUSION_CONFIG names (or the embedded
 * default), every section's defaults filled in from the one place that owns them — with secrets redacted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run-cli';
import { defaultLimits } from '../../src/config/limits-config';
import { resolveResilience } from '../../src/config/resilience-config';
import { redactSecrets } from '../../src/config/settings';

let out: string[];
let err: string[];
let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-config-print-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

async function printed(): Promise<Record<string, any>> {
  expect(await runCli(['config', 'print', '--data', dir])).toBe(0);
  return JSON.parse(out.join('\n'));
}

test('without FUSION_CONFIG: the embedded default under --data, with every section at its defaults', async () => {
  delete process.env.FUSION_CONFIG;
  const shown = await printed();
  expect(shown.origin).toEqual({ kind: 'embedded' });
  expect(shown.dataDir).toBe(dir);
  expect(shown.sources.crm).toEqual({ kind: 'prisma', provider: 'sqlite', url: path.join(dir, 'crm.db') });
  expect(shown.resilience).toEqual(JSON.parse(JSON.stringify(resolveResilience())));
  expect(shown.limits.maxDepth).toBe(defaultLimits().maxDepth);
  expect(shown.security.apiKeysFile).toBe(path.join(dir, 'secrets', 'api-keys.json'));
  expect(shown.observability.logging.level).toMatch(/^(info|warn|error|debug|trace|fatal|silent)$/);
  expect(shown.scoring.executionProviders.at(-1)).toBe('cpu');
  expect(typeof shown.datasetDir).toBe('string');
});

test('a file with secrets from the environment: URLs keep their host, never their password; secrets are ***', async () => {
  const file = path.join(dir, 'fusion.json');
  const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../config/production.example.json'), 'utf8'));
  example.security = { jwt: { hs256Secret: { env: 'TEST_JWT_SECRET' } }, pseudonymSecret: 'a-pseudonym-secret-written-in-the-file' };
  example.observability = { metrics: { bearerToken: 'metrics-token-in-the-file' } };
  fs.writeFileSync(file, JSON.stringify(example));
  Object.assign(process.env, {
    FUSION_CONFIG: file,
    TEST_JWT_SECRET: 'x'.repeat(40),
    FUSION_CRM_DATABASE_URL: 'postgresql://crm_user:crm-password@db.internal:5432/crm',
    FUSION_ORDERS_DATABASE_URL: 'postgresql://orders@db.internal:5432/orders',
    FUSION_CATALOG_DATABASE_URL: 'mysql://catalog:catalog-password@mariadb.internal:3306/catalog',
    FUSION_REVIEWS_URL: 'http://reviews.internal:4010',
    FUSION_REDIS_URL: 'redis://:redis-password@cache.internal:6379/0',
  });
  const shown = await printed();
  const text = out.join('\n');
  for (const secret of [
    'crm-password',
    'catalog-password',
    'redis-password',
    'x'.repeat(40),
    'a-pseudonym-secret-written-in-the-file',
    'metrics-token-in-the-file',
  ]) {
    expect(text).not.toContain(secret);
  }
  expect(shown.origin).toEqual({ kind: 'file', file });
  expect(shown.sources.crm.url).toBe('postgresql://crm_user:***@db.internal:5432/crm');
  expect(shown.sources.orders.url).toBe('postgresql://orders@db.internal:5432/orders');
  expect(shown.cache.url).toBe('redis://:***@cache.internal:6379/0');
  expect(shown.security.jwt.hs256Secret).toBe('***');
  expect(shown.security.pseudonymSecret).toBe('***');
  expect(shown.observability.metrics.bearerToken).toBe('***');
  // The rate limiter shares the entity cache's Redis when the file names none: the one default, shown redacted.
  expect(shown.limits.rateLimit.redisUrl).toBe('redis://:***@cache.internal:6379/0');
});

test('a configuration that does not validate is reported key by key, exit 1', async () => {
  const file = path.join(dir, 'broken.json');
  fs.writeFileSync(file, JSON.stringify({ sources: { crm: { kind: 'prisma', provider: 'oracle', url: 'x' } } }));
  process.env.FUSION_CONFIG = file;
  expect(await runCli(['config', 'print'])).toBe(1);
  expect(err.join('\n')).toMatch(/invalid configuration[\s\S]*sources\.crm\.provider/);
  expect(out).toEqual([]);
});

test('redaction keeps everything that is not a secret as it is', () => {
  expect(redactSecrets({ a: 1, list: ['http://u:p@h/x', 'plain'], nested: { apiKeysFile: '/x', clientSecret: 's', port: 4000 } })).toEqual({
    a: 1,
    list: ['http://u:***@h/x', 'plain'],
    nested: { apiKeysFile: '/x', clientSecret: '***', port: 4000 },
  });
});

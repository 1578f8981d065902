import { DEFAULT_SOURCE_POLICY, GUARDED_SOURCES, resolveResilience } from '../../src/config/resilience-config';
import { ConfigError, embeddedSourcesConfig, resolveConfig } from '../../src/config/fusion-config';
import { SQLITE_SOURCES as sources } from '../helpers/config-fixtures';

test('without the key every source gets the defaults; the embedded default leaves it absent (defaults apply)', () => {
  const config = resolveConfig({ dataDir: '/tmp/d', sources });
  for (const name of GUARDED_SOURCES) expect(config.resilience?.[name]).toEqual(DEFAULT_SOURCE_POLICY);
  expect(embeddedSourcesConfig('/tmp/d').resilience).toBeUndefined();
  expect(resolveResilience()).toEqual(config.resilience);
});

test('`defaults` apply to every source, `sources.<name>` overrides field by field', () => {
  const config = resolveConfig({
    dataDir: '/tmp/d',
    sources,
    resilience: { defaults: { timeoutMs: 3000, retries: 1 }, sources: { reviews: { timeoutMs: 800, resetTimeoutMs: 500 } } },
  });
  expect(config.resilience!.crm).toEqual({ ...DEFAULT_SOURCE_POLICY, timeoutMs: 3000, retries: 1 });
  expect(config.resilience!.reviews).toEqual({ ...DEFAULT_SOURCE_POLICY, timeoutMs: 800, retries: 1, resetTimeoutMs: 500 });
});

test('bad values and unknown keys are reported with their key', () => {
  const attempt = () => resolveConfig({ dataDir: '/tmp/d', sources, resilience: { defaults: { timeoutMs: 0 }, sources: { billing: {} }, extra: true } });
  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow(/resilience\.defaults\.timeoutMs/);
  expect(attempt).toThrow(/resilience\.sources/);
});

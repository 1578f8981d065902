import { embeddedSourcesConfig } from '../../../src/config/fusion-config';
import { resolveLimitsConfig } from '../../../src/config/limits-config';
import { gatewayPlugins, type GatewayPlugins } from '../../../src/gateway';
import { configFromEnv } from '../../../src/shared';

/** Which limits each kind of server runs: clients meet them at the edge, subgraphs only answer the router. */
describe('hardening per server role', () => {
  const config = (limits: unknown) => ({ ...embeddedSourcesConfig(configFromEnv().dataDir), limits: resolveLimitsConfig(limits, { env: {} }).limits });
  const names = (plugins: GatewayPlugins) => plugins.http.map((plugin) => plugin.name);
  const opened: GatewayPlugins[] = [];
  afterAll(async () => {
    for (const plugins of opened) for (const plugin of plugins.http) await plugin.close?.();
  });
  const assemble = async (...args: Parameters<typeof gatewayPlugins>) => {
    const plugins = await gatewayPlugins(...args);
    opened.push(plugins);
    return plugins;
  };

  it.each([['embedded'], ['router']] as const)('the %s checks CORS first, then the caller, then its budget and its documents', async (role) => {
    const plugins = await assemble(config({ rateLimit: { enabled: true }, maxBodyBytes: 5_000 }), role);
    const order = names(plugins);
    for (const [before, after] of [
      ['cors', 'authentication'],
      ['authentication', 'rate-limit'],
      ['rate-limit', 'token-limit'],
      ['token-limit', 'trusted-documents'],
    ]) {
      expect(order.indexOf(before)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(before)).toBeLessThan(order.indexOf(after));
    }
    expect(plugins.maxBodyBytes).toBe(5_000);
  });

  it('a subgraph service keeps only the body limit and authentication', async () => {
    const plugins = await assemble(config({ rateLimit: { enabled: true }, production: true, maxBodyBytes: 5_000 }), 'subgraph');
    const order = names(plugins);
    for (const name of ['cors', 'rate-limit', 'token-limit', 'trusted-documents', 'variables-depth']) expect(order).not.toContain(name);
    expect(order).toContain('authentication');
    expect(plugins.maxBodyBytes).toBe(5_000);
  });

  it('without a `limits` key the defaults apply (no rate limit outside production)', async () => {
    const plugins = await assemble(embeddedSourcesConfig(configFromEnv().dataDir), 'embedded');
    expect(names(plugins)).not.toContain('rate-limit');
    expect(names(plugins)).toContain('trusted-documents');
    expect(plugins.maxBodyBytes).toBe(1_000_000);
  });
});

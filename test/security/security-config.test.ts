/**
 * The `security` key of FUSION_CONFIG: defaults when absent, secrets from the environment, every mistake
 * reported with its key; and RS256 verification keys fetched from a JWKS URL (a real local HTTP server).
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SignJWT } from 'jose';
import { ConfigError, resolveConfig } from '../../src/config/fusion-config';
import { defaultSecurityConfig } from '../../src/config/security-config';
import { createAuthenticator } from '../../src/security';
import { SQLITE_SOURCES as SOURCES } from '../helpers/config-fixtures';

test('without a security key the defaults apply: catalog for anonymous, generated secrets under the data folder', () => {
  const config = resolveConfig({ sources: SOURCES }, { defaultDataDir: '/srv/data' });
  expect(config.security).toBeUndefined();
  expect(defaultSecurityConfig('/srv/data')).toEqual({
    anonymous: 'catalog',
    jwt: { roleClaim: 'role', clockToleranceSeconds: 5 },
    apiKeysFile: path.resolve('/srv/data/secrets/api-keys.json'),
    secretsDir: path.resolve('/srv/data/secrets'),
    analytics: { minGroupPersons: 5 },
  });
});

test('secrets come from the environment; paths are resolved against the data folder', () => {
  const config = resolveConfig(
    {
      sources: SOURCES,
      security: {
        anonymous: 'none',
        jwt: { hs256Secret: { env: 'JWT_SECRET' }, jwks: { file: 'keys/jwks.json' }, roleClaim: 'https://shop/role' },
        apiKeysFile: 'keys/api.json',
      },
    },
    { defaultDataDir: '/srv/data', env: { JWT_SECRET: 's'.repeat(40) } },
  );
  expect(config.security).toMatchObject({
    anonymous: 'none',
    jwt: { hs256Secret: 's'.repeat(40), jwks: { file: path.resolve('/srv/data/keys/jwks.json') }, roleClaim: 'https://shop/role', clockToleranceSeconds: 5 },
    apiKeysFile: path.resolve('/srv/data/keys/api.json'),
  });
});

test('mistakes are reported with their keys', () => {
  const attempt =
    (security: unknown, env: NodeJS.ProcessEnv = {}) =>
    () =>
      resolveConfig({ sources: SOURCES, security }, { defaultDataDir: '/srv/data', env });
  expect(attempt({ anonymous: 'everything' })).toThrow(/security\.anonymous/);
  expect(attempt({ jwt: { jwks: { url: 'ftp://keys' } } })).toThrow(/security\.jwt\.jwks/);
  expect(attempt({ jwt: { hs256Secret: 'short' } })).toThrow(/security\.jwt\.hs256Secret: must be at least 32 characters/);
  expect(attempt({ jwt: { hs256Secret: { env: 'MISSING_SECRET' } } })).toThrow(/security\.jwt\.hs256Secret: environment variable MISSING_SECRET is not set/);
  expect(attempt({ roles: ['root'] })).toThrow(ConfigError);
});

test('RS256 tokens verify against keys fetched from a JWKS URL; the claim named by roleClaim carries the role', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  let fetched = 0;
  const server = http.createServer((_request, response) => {
    fetched += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    const config = resolveConfig(
      { sources: SOURCES, security: { jwt: { jwks: { url }, roleClaim: 'https://shop/role', audience: 'fusion' } } },
      { defaultDataDir: path.join(__dirname, '..', '..', 'data') },
    );
    const authenticator = createAuthenticator(config.security!);
    const token = await new SignJWT({ 'https://shop/role': 'frontend-service' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('storefront')
      .setAudience('fusion')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await authenticator.authenticate({ authorization: `Bearer ${token}` })).toMatchObject({
      role: 'frontend-service',
      subject: 'storefront',
      via: 'jwt',
    });
    expect(fetched).toBe(1);
    const roleless = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('x')
      .setAudience('fusion')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(authenticator.authenticate({ authorization: `Bearer ${roleless}` })).rejects.toThrow(/"https:\/\/shop\/role"/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

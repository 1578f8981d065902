/**
 * The authenticator keeps the principals of tokens it verified (src/security/authenticate.ts,
 * VerifiedTokens): the same token sent again gets the same principal, a kept token still stops being
 * accepted when it expires, and a token refused once (tampered, expired) is refused every time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSecurityConfig, type SecurityConfig } from '../../src/config/security-config';
import { createAuthenticator, signToken } from '../../src/security';

let dataDir: string;
let config: SecurityConfig;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-tokens-'));
  const defaults = defaultSecurityConfig(dataDir);
  config = { ...defaults, jwt: { ...defaults.jwt, clockToleranceSeconds: 0 } };
});

afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const SELLER = '0123456789abcdef0123456789abcdef';

test('the same token twice gets the same principal; a tampered copy of an accepted token is refused', async () => {
  const authenticator = createAuthenticator(config);
  const token = await signToken(config, { role: 'partner', subject: 'acme', sellerId: SELLER, scopes: ['pii:read'] });
  const first = await authenticator.authenticate(bearer(token));
  const second = await authenticator.authenticate(bearer(token));
  expect(second).toEqual(first);
  expect(first).toMatchObject({ role: 'partner', subject: 'acme', sellerId: SELLER, via: 'jwt' });
  expect(first.pseudonymKey).toBeDefined();
  const [header, payload, signature] = token.split('.');
  const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  await expect(authenticator.authenticate(bearer(tampered))).rejects.toThrow(/signature/);
  // Claims changed under the same signature: another token, verified on its own, refused.
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
  await expect(authenticator.authenticate(bearer(forged))).rejects.toThrow(/signature/);
});

test('a kept token is refused once it expires', async () => {
  const authenticator = createAuthenticator(config);
  const token = await signToken(config, { role: 'bi', subject: 'dashboards', ttlSeconds: 1 });
  expect((await authenticator.authenticate(bearer(token))).role).toBe('bi');
  const exp = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp: number }).exp;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
  await expect(authenticator.authenticate(bearer(token))).rejects.toThrow('token expired');
  await expect(authenticator.authenticate(bearer(token))).rejects.toThrow('token expired');
});

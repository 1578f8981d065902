/**
 * Authentication over real HTTP: what is accepted (HS256 and RS256 bearer tokens, partner API keys,
 * no credential → the configured anonymous access) and what is answered 401 UNAUTHENTICATED — expired,
 * not yet valid, wrong signature, alg=none, RS256/HS256 key confusion, wrong issuer or audience, bad
 * claims, unknown and revoked API keys. A failed credential is never downgraded to anonymous.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { openTestSources } from '../helpers/backends';
import { ANONYMOUS_CALLER, apiKeyCredential, bearer, type Credential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { AUDIENCE, ISSUER, pickData, secretOf, securityFixture, type DataFixture, type SecurityFixture } from './security-fixtures';

let sources: Sources;
let server: RunningServer;
let closedServer: RunningServer;
let fixture: SecurityFixture;
let data: DataFixture;

beforeAll(async () => {
  sources = await openTestSources();
  fixture = securityFixture();
  const dataDir = configFromEnv().dataDir;
  server = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, config: fixture.config, scoring: false });
  const closed = { ...fixture.config, security: { ...fixture.security, anonymous: 'none' as const } };
  closedServer = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, config: closed, scoring: false });
  data = await pickData(sources);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await closedServer?.close();
  await sources?.close();
  fixture?.remove();
});

const USERS = '{ users(first: 1) { edges { node { id } } } }';
const secretKey = () => new TextEncoder().encode(fixture.security.jwt.hs256Secret!);
const now = () => Math.floor(Date.now() / 1000);

function claims(extra: Record<string, unknown> = {}) {
  return new SignJWT({ role: 'bi', ...extra }).setSubject('dashboards').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt();
}

async function expectAccepted(who: Credential, query = USERS) {
  const response = await postQuery(server.url, query, undefined, who);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response;
}

async function expectUnauthenticated(who: Credential, reason: RegExp) {
  const response = await postQuery(server.url, USERS, undefined, who);
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.errors![0].message).toMatch(reason);
}

describe('accepted credentials', () => {
  test('an HS256 token with the configured issuer and audience', async () => {
    await expectAccepted(
      bearer(
        await claims()
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(now() + 60)
          .sign(secretKey()),
      ),
    );
  });

  test('an RS256 token signed by the key the JWKS file publishes', async () => {
    const token = await claims()
      .setProtectedHeader({ alg: 'RS256', kid: 'test-rsa' })
      .setExpirationTime(now() + 60)
      .sign(fixture.rsaPrivateKey);
    await expectAccepted(bearer(token));
  });

  test('scopes come from "scope" (space separated) or "scp" (a list)', async () => {
    const query = `query($id: ID!) { user(id: $id) { accounts { city } } }`;
    const asBi = async (extra: Record<string, unknown>) =>
      postQuery(
        server.url,
        query,
        { id: data.alice.personId },
        bearer(
          await claims(extra)
            .setProtectedHeader({ alg: 'HS256' })
            .setExpirationTime(now() + 60)
            .sign(secretKey()),
        ),
      );
    const masked = await asBi({});
    const viaScope = await asBi({ scope: 'orders:read pii:read' });
    const viaScp = await asBi({ scp: ['pii:read'] });
    expect((masked.body.data as any).user.accounts.every((account: { city: unknown }) => account.city === null)).toBe(true);
    expect((viaScope.body.data as any).user.accounts.some((account: { city: unknown }) => account.city !== null)).toBe(true);
    expect(viaScp.body.data).toEqual(viaScope.body.data);
  });

  test('a partner API key; a revoked one is refused from the next request on', async () => {
    const { key, record } = fixture.keys.issue(data.seller.id, 'revocation test');
    const products = '{ products(first: 1) { totalCount } }';
    const before = await expectAccepted(apiKeyCredential(key), products);
    expect((before.body.data as any).products.totalCount).toBe(data.seller.productIds.length);
    expect(fixture.keys.list().find((stored) => stored.id === record.id)).not.toHaveProperty('revokedAt');
    expect(JSON.stringify(fixture.keys.list())).not.toContain(secretOf(key));
    expect(fixture.keys.revoke(record.id)).toBe(true);
    await expectUnauthenticated(apiKeyCredential(key), /unknown or revoked API key/);
  });

  test('no credential is the anonymous caller: the public catalog where the configuration opens it, nothing where it does not', async () => {
    const query = `query($id: ID!) { product(id: $id) { id } }`;
    const open = await postQuery(server.url, query, { id: data.sharedProduct }, ANONYMOUS_CALLER);
    expect(open.body).toEqual({ data: { product: { id: data.sharedProduct } } });
    const closed = await postQuery(closedServer.url, query, { id: data.sharedProduct }, ANONYMOUS_CALLER);
    expect(closed.status).toBe(200);
    expect(closed.body.data).toEqual({ product: null });
    expect(closed.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('refused credentials: 401 UNAUTHENTICATED, never anonymous', () => {
  test('expired (beyond the clock tolerance) and not yet valid', async () => {
    await expectUnauthenticated(
      bearer(
        await claims()
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(now() - 60)
          .sign(secretKey()),
      ),
      /expired/,
    );
    await expectUnauthenticated(
      bearer(
        await claims()
          .setProtectedHeader({ alg: 'HS256' })
          .setNotBefore(now() + 600)
          .setExpirationTime(now() + 900)
          .sign(secretKey()),
      ),
      /"nbf"/,
    );
  });

  test('a wrong HS256 signature', async () => {
    const token = await claims()
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode('another-secret-of-enough-length-000000'));
    await expectUnauthenticated(bearer(token), /signature/);
    const [header, payload, signature] = (
      await claims()
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(now() + 60)
        .sign(secretKey())
    ).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    await expectUnauthenticated(bearer(`${header}.${tampered}.${signature}`), /signature/);
  });

  test('alg=none', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = { role: 'admin', sub: 'attacker', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 };
    await expectUnauthenticated(bearer(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`), /algorithm "none"/);
  });

  test('RS256/HS256 confusion: an HS256 token whose secret is the RSA public key', async () => {
    const token = await claims({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode(fixture.rsaPublicPem));
    await expectUnauthenticated(bearer(token), /signature/);
  });

  test('an RS256 token from a key the JWKS does not hold', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expectUnauthenticated(
      bearer(
        await claims()
          .setProtectedHeader({ alg: 'RS256', kid: 'test-rsa' })
          .setExpirationTime(now() + 60)
          .sign(privateKey),
      ),
      /signature/,
    );
  });

  test('the wrong issuer or audience, no expiry', async () => {
    const sign = (token: SignJWT) => token.setProtectedHeader({ alg: 'HS256' }).sign(secretKey());
    await expectUnauthenticated(
      bearer(
        await sign(
          claims()
            .setIssuer('https://elsewhere')
            .setExpirationTime(now() + 60),
        ),
      ),
      /"iss"/,
    );
    await expectUnauthenticated(
      bearer(
        await sign(
          claims()
            .setAudience('another-api')
            .setExpirationTime(now() + 60),
        ),
      ),
      /"aud"/,
    );
    await expectUnauthenticated(bearer(await sign(claims())), /"exp"/);
  });

  test('claims that do not make a principal: unknown role, customer without a person id, partner without a seller', async () => {
    const sign = (extra: Record<string, unknown>, subject = 'someone') =>
      claims(extra)
        .setSubject(subject)
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(now() + 60)
        .sign(secretKey());
    await expectUnauthenticated(bearer(await sign({ role: 'root' })), /"role"/);
    await expectUnauthenticated(bearer(await sign({ role: 'anonymous' })), /"role"/);
    await expectUnauthenticated(bearer(await sign({ role: 'customer' }, 'not-a-person')), /person id/);
    await expectUnauthenticated(bearer(await sign({ role: 'partner' })), /seller_id/);
    await expectUnauthenticated(bearer(await sign({ role: 'partner', seller_id: 'abc' })), /seller_id/);
  });

  test('malformed headers: another scheme, garbage, both credentials, an unknown or malformed API key', async () => {
    await expectUnauthenticated({ headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }, /Bearer/);
    await expectUnauthenticated(bearer('not.a.jwt'), /malformed|signature/);
    const valid = await claims()
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(secretKey());
    const { key } = fixture.keys.issue(data.seller.id, 'both');
    await expectUnauthenticated({ headers: { authorization: `Bearer ${valid}`, 'x-api-key': key } }, /not both/);
    await expectUnauthenticated(apiKeyCredential(`fgk_${'0'.repeat(16)}_${'A'.repeat(43)}`), /unknown or revoked/);
    await expectUnauthenticated(apiKeyCredential(`${key}x`), /unknown or revoked/);
    await expectUnauthenticated(apiKeyCredential(key.replace(/_(.)/g, (_m, c: string) => `_${c === 'a' ? 'b' : 'a'}`)), /unknown or revoked/);
  });
});

import { getIntrospectionQuery } from 'graphql';
import { openTestSources } from '../../helpers/backends';
import type { Sources } from '../../../src/sources';
import { as, codes, post, startHardenedServer, type HardenedServer } from './hardened-server';

/** Production mode, CSRF prevention, CORS, body size and error hygiene, over real HTTP. */
describe('production hardening', () => {
  let sources: Sources;
  let production: HardenedServer;
  let development: HardenedServer;
  let shop: HardenedServer;
  beforeAll(async () => {
    sources = await openTestSources();
    production = await startHardenedServer({ production: true, maxBodyBytes: 4_000 }, 'embedded', sources);
    development = await startHardenedServer({ production: false }, 'embedded', sources);
    shop = await startHardenedServer({ cors: { allowedOrigins: ['https://shop.example'] } }, 'embedded', sources);
  });
  afterAll(async () => {
    await production.close();
    await development.close();
    await shop.close();
    await sources.close();
  });

  describe('introspection and suggestions', () => {
    it.each([['anonymous'], ['customer'], ['bi'], ['frontend-service']] as const)('refuses introspection to %s → 400 INTROSPECTION_DISABLED', async (role) => {
      const headers = role === 'anonymous' ? {} : await as(role);
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Order") { fields { name } } }']) {
        const reply = await post(production.url, { query }, headers);
        expect(reply.status).toBe(400);
        expect(codes(reply)).toEqual(['INTROSPECTION_DISABLED']);
      }
    });

    it('refuses introspection hidden in a fragment', async () => {
      const reply = await post(production.url, { query: '{ ...F } fragment F on Query { __schema { types { name } } }' });
      expect(codes(reply)).toEqual(['INTROSPECTION_DISABLED']);
    });

    it('lets admins run the full introspection query (within the depth and cost limits)', async () => {
      const reply = await post(production.url, { query: getIntrospectionQuery() }, await as('admin'));
      expect(reply.status).toBe(200);
      expect(reply.body.errors).toBeUndefined();
      expect((reply.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(20);
    });

    it('strips "Did you mean" suggestions for everyone but admins', async () => {
      const query = { query: '{ products(first: 1) { edges { node { categry { name } } } } }' };
      const anonymous = await post(production.url, query);
      expect(anonymous.status).toBe(400);
      expect(codes(anonymous)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(anonymous.body.errors![0].message).toBe('Cannot query field "categry" on type "Product".');
      const admin = await post(production.url, query, await as('admin'));
      expect(admin.body.errors![0].message).toMatch(/Did you mean "category"\?/);
    });

    it('leaves introspection and suggestions on outside production mode', async () => {
      const reply = await post(development.url, { query: '{ __schema { queryType { name } } }' });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      const suggestion = await post(development.url, { query: '{ products(first: 1) { edges { node { categry { name } } } } }' });
      expect(suggestion.body.errors![0].message).toMatch(/Did you mean/);
    });

    it('never sends stack traces', async () => {
      const replies = [
        await post(production.url, { query: '{ order(id: "nope") { id } }' }, await as('admin')),
        await post(production.url, { query: '{ nope }' }),
        await post(production.url, { query: '{ order(id: ' }),
      ];
      for (const reply of replies) {
        expect(reply.body.errors!.length).toBeGreaterThan(0);
        for (const error of reply.body.errors!) expect(error.extensions).not.toHaveProperty('stacktrace');
      }
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a GET without a preflight-forcing header → 400', async () => {
      const response = await fetch(`${development.url}?query=${encodeURIComponent('{ __typename }')}`);
      expect(response.status).toBe(400);
      expect((await response.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    });

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x']])(
      'refuses a simple POST (%s) → 400',
      async (contentType) => {
        const response = await fetch(development.url, { method: 'POST', headers: { 'content-type': contentType }, body: '{"query":"{ __typename }"}' });
        expect(response.status).toBe(400);
        expect((await response.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
      },
    );

    it('answers a JSON POST, and a GET that names the operation header', async () => {
      expect((await post(development.url, { query: '{ __typename }' })).status).toBe(200);
      const response = await fetch(`${development.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(200);
    });
  });

  describe('CORS', () => {
    const preflight = (url: string, origin: string) =>
      fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

    it('by default no origin may call: preflight → 403 ORIGIN_NOT_ALLOWED, no Access-Control-Allow-Origin', async () => {
      const response = await preflight(development.url, 'https://evil.example');
      expect(response.status).toBe(403);
      expect((await response.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const direct = await post(development.url, { query: '{ __typename }' }, { origin: 'https://evil.example' });
      expect(direct.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('an allowed origin gets its preflight and its replies marked', async () => {
      const response = await preflight(shop.url, 'https://shop.example');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const reply = await post(shop.url, { query: '{ __typename }' }, { origin: 'https://shop.example' });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(reply.headers.get('vary')).toContain('Origin');
      expect((await preflight(shop.url, 'https://shop.example.evil.example')).status).toBe(403);
    });
  });

  describe('body size', () => {
    it('refuses a body over limits.maxBodyBytes → 413 PAYLOAD_TOO_LARGE', async () => {
      const reply = await post(production.url, { query: `{ __typename } # ${'x'.repeat(5_000)}` });
      expect(reply.status).toBe(413);
      expect(codes(reply)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect((await post(production.url, { query: '{ __typename }' })).status).toBe(200);
    });
  });
});

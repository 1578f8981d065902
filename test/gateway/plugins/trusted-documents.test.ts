import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildEmbeddedSupergraphSchema } from '../../../src/gateway';
import { canonicalDocument, documentHash, loadTrustedDocuments } from '../../../src/security/limits';
import { openTestSources } from '../../helpers/backends';
import type { Sources } from '../../../src/sources';
import { as, codes, PARTNER_SELLER, post, startHardenedServer, type HardenedServer } from './hardened-server';

const FOLDER = path.join(__dirname, '../../../partner-operations');
const MANIFEST = path.join(FOLDER, 'manifest.json');
const operationText = (file: string) => fs.readFileSync(path.join(FOLDER, file), 'utf8');
const hashOfFile = (file: string) => documentHash(canonicalDocument(operationText(file)));

describe('the trusted-documents manifest', () => {
  it('is what `npm run codegen` writes from partner-operations/*.graphql (regenerating changes nothing)', () => {
    const files = fs.readdirSync(FOLDER).filter((name) => name.endsWith('.graphql'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const expected = Object.fromEntries(files.map((file) => [hashOfFile(file), canonicalDocument(operationText(file))]).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(fs.readFileSync(MANIFEST, 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('holds only documents valid against the client schema', async () => {
    const schema = await buildEmbeddedSupergraphSchema();
    for (const document of loadTrustedDocuments(MANIFEST).values()) expect(validate(schema, parse(document))).toEqual([]);
  });

  it('refuses a manifest whose entry is not the hash of its document', () => {
    const tampered = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-')), 'manifest.json');
    fs.writeFileSync(tampered, JSON.stringify({ ['0'.repeat(64)]: '{ __typename }' }));
    expect(() => loadTrustedDocuments(tampered)).toThrow(/not the sha256 of its document/);
  });
});

describe('trusted documents for partners', () => {
  let sources: Sources;
  let server: HardenedServer;
  let strict: HardenedServer;
  let partner: Record<string, string>;
  let bi: Record<string, string>;
  const catalogHash = hashOfFile('seller-catalog.graphql');
  beforeAll(async () => {
    sources = await openTestSources();
    server = await startHardenedServer({}, 'embedded', sources);
    strict = await startHardenedServer({ trustedDocuments: { requiredFor: ['partner', 'bi'] } }, 'embedded', sources);
    partner = await as('partner');
    bi = await as('bi');
  });
  afterAll(async () => {
    await server.close();
    await strict.close();
    await sources.close();
  });

  const persisted = (hash: string) => ({ version: 1, sha256Hash: hash });

  it('runs a manifest document sent by hash (extensions.persistedQuery)', async () => {
    const reply = await post(
      server.url,
      { variables: { sellerId: PARTNER_SELLER, first: 2 }, extensions: { persistedQuery: persisted(catalogHash) } },
      partner,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data).toMatchObject({ seller: { id: PARTNER_SELLER } });
  });

  it('runs a manifest document sent by documentId', async () => {
    const reply = await post(server.url, { documentId: `sha256:${catalogHash}`, variables: { sellerId: PARTNER_SELLER, first: 1 } }, partner);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ seller: { id: PARTNER_SELLER } });
  });

  it('runs a manifest document sent as text, however it is formatted', async () => {
    const text = operationText('seller-catalog.graphql').replace(/^#.*$/gm, '').replace(/\s+/g, ' ');
    const reply = await post(server.url, { query: text, variables: { sellerId: PARTNER_SELLER, first: 1 } }, partner);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ seller: { id: PARTNER_SELLER } });
  });

  it('runs a manifest document by hash over GET', async () => {
    const url = new URL(server.url);
    url.searchParams.set('extensions', JSON.stringify({ persistedQuery: persisted(catalogHash) }));
    url.searchParams.set('variables', JSON.stringify({ sellerId: PARTNER_SELLER, first: 1 }));
    const response = await fetch(url, { headers: { ...partner, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { seller: { id: PARTNER_SELLER } } });
  });

  it('refuses an ad-hoc document → 400 OPERATION_NOT_TRUSTED', async () => {
    const reply = await post(server.url, { query: `{ seller(id: "${PARTNER_SELLER}") { id city } }` }, partner);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['OPERATION_NOT_TRUSTED']);
  });

  it('refuses an unknown hash → 400 PERSISTED_QUERY_NOT_FOUND', async () => {
    const reply = await post(server.url, { extensions: { persistedQuery: persisted('f'.repeat(64)) } }, partner);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('cannot register a document through automatic persisted queries', async () => {
    const query = `{ seller(id: "${PARTNER_SELLER}") { id state } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const register = await post(server.url, { query, extensions: { persistedQuery: persisted(hash) } }, partner);
    expect(register.status).toBe(400);
    expect(codes(register)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const reuse = await post(server.url, { extensions: { persistedQuery: persisted(hash) } }, partner);
    expect(codes(reuse)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('refuses a trusted hash sent with another query → 400 OPERATION_NOT_TRUSTED', async () => {
    const reply = await post(server.url, { query: '{ __typename }', extensions: { persistedQuery: persisted(catalogHash) } }, partner);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['OPERATION_NOT_TRUSTED']);
  });

  it('refuses a request with neither a hash nor a query → 400 OPERATION_NOT_TRUSTED', async () => {
    const reply = await post(server.url, { variables: {} }, partner);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['OPERATION_NOT_TRUSTED']);
  });

  it('lets other roles send ad-hoc documents, unless the configuration names them too', async () => {
    const query = { query: `{ seller(id: "${PARTNER_SELLER}") { id } }` };
    const open = await post(server.url, query, bi);
    expect(open.status).toBe(200);
    expect(open.body.data).toEqual({ seller: { id: PARTNER_SELLER } });
    const closed = await post(strict.url, query, bi);
    expect(closed.status).toBe(400);
    expect(codes(closed)).toEqual(['OPERATION_NOT_TRUSTED']);
  });
});

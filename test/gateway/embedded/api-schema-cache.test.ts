import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printSchema } from 'graphql';
import { composeSupergraph } from '../../../src/gateway';
import { API_SCHEMA_FILE, cachedApiSchema, compositionKey } from '../../../src/gateway/embedded/api-schema-cache';
import { buildAllSubgraphs, type SubgraphDefinition } from '../../../src/subgraphs';

describe('the API schema cached in the data folder', () => {
  let subgraphs: SubgraphDefinition[];
  let composedSdl: string;
  let dir: string;

  beforeAll(async () => {
    subgraphs = await buildAllSubgraphs();
    composedSdl = printSchema(composeSupergraph(subgraphs).apiSchema);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-api-schema-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = () => path.join(dir, API_SCHEMA_FILE);

  it('composes on a first start and keeps the composed schema under the key of its subgraphs', () => {
    expect(printSchema(cachedApiSchema(subgraphs, dir))).toBe(composedSdl);
    const [keyLine, ...rest] = fs.readFileSync(file(), 'utf8').split('\n');
    expect(keyLine).toBe(`# composed from ${compositionKey(subgraphs)}`);
    expect(rest.join('\n')).toBe(composedSdl);
  });

  it('builds a later start from the file: what the file says is what is served', () => {
    cachedApiSchema(subgraphs, dir);
    const marked = fs.readFileSync(file(), 'utf8').replace('type Query {', '"""read from the cache"""\ntype Query {');
    fs.writeFileSync(file(), marked);
    expect(cachedApiSchema(subgraphs, dir).getQueryType()?.description).toBe('read from the cache');
  });

  it('composes again and replaces the file when a subgraph changed', () => {
    cachedApiSchema(subgraphs, dir);
    const changed = subgraphs.map((subgraph, index) => (index === 0 ? { ...subgraph, sdl: `${subgraph.sdl}\n# changed` } : subgraph));
    fs.writeFileSync(file(), fs.readFileSync(file(), 'utf8').replace('type Query {', '"""stale"""\ntype Query {'));
    expect(compositionKey(changed)).not.toBe(compositionKey(subgraphs));
    expect(printSchema(cachedApiSchema(changed, dir))).toBe(composedSdl);
    expect(fs.readFileSync(file(), 'utf8').split('\n')[0]).toBe(`# composed from ${compositionKey(changed)}`);
  });

  it('serves the composed schema when the folder cannot be written', () => {
    const missing = path.join(dir, 'no-such-folder');
    expect(printSchema(cachedApiSchema(subgraphs, missing))).toBe(composedSdl);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

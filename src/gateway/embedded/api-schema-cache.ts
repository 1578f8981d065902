/**
 * The supergraph's API schema kept as SDL in the data folder, under the key of what it is composed from
 * (every subgraph's name and SDL, the composer's and graphql's versions). A start whose subgraphs did not
 * change builds the schema from that file (~10 ms) instead of composing it (~0.3 s, and ~0.15 s more to
 * load the composer, which such a start never loads).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, printSchema, version as graphqlVersion, type GraphQLSchema } from 'graphql';
import type { SubgraphDefinition } from '../../subgraphs';
import { composeSupergraph } from '../compose';

export const API_SCHEMA_FILE = 'api-schema.graphql';

const KEY_LINE = '# composed from ';

function composerVersion(): string {
  const manifest = require.resolve('@apollo/composition/package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** What the API schema is a function of. */
export function compositionKey(subgraphs: readonly SubgraphDefinition[]): string {
  const hash = createHash('sha256').update(`graphql ${graphqlVersion}\n@apollo/composition ${composerVersion()}\n`);
  for (const subgraph of subgraphs) hash.update(`${subgraph.name}\n${subgraph.sdl.length}\n${subgraph.sdl}\n`);
  return hash.digest('hex');
}

function readCached(file: string, key: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const firstLineEnd = text.indexOf('\n');
  return firstLineEnd > 0 && text.slice(0, firstLineEnd) === KEY_LINE + key ? text.slice(firstLineEnd + 1) : null;
}

/** Written whole or not at all (a temporary file renamed); a folder that cannot be written only costs the next start a composition. */
function writeCached(file: string, key: string, sdl: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${KEY_LINE}${key}\n${sdl}`);
    fs.renameSync(temporary, file);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

/** The API schema of `subgraphs`: read from `cacheDir`'s file when it was composed from the same subgraphs, else composed and kept there. */
export function cachedApiSchema(subgraphs: readonly SubgraphDefinition[], cacheDir: string): GraphQLSchema {
  const file = path.join(cacheDir, API_SCHEMA_FILE);
  const key = compositionKey(subgraphs);
  const cached = readCached(file, key);
  if (cached !== null) return buildSchema(cached);
  const { apiSchema } = composeSupergraph(subgraphs);
  writeCached(file, key, printSchema(apiSchema));
  return apiSchema;
}

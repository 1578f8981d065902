import type { GraphQLSchema } from 'graphql';
import { buildAllSubgraphs } from '../../subgraphs';
import { composeSupergraph } from '../compose';
import { cachedApiSchema } from './api-schema-cache';
import { buildEmbeddedSchema } from './local-federation';

export { buildEmbeddedSchema } from './local-federation';
export { API_SCHEMA_FILE } from './api-schema-cache';

/**
 * The supergraph's API schema, executable in one process over the subgraphs' resolvers; with `cacheDir`
 * (the data folder) the API schema is read from its file there when the subgraphs did not change.
 */
export async function buildEmbeddedSupergraphSchema(options: { cacheDir?: string } = {}): Promise<GraphQLSchema> {
  const subgraphs = await buildAllSubgraphs();
  const apiSchema = options.cacheDir ? cachedApiSchema(subgraphs, options.cacheDir) : composeSupergraph(subgraphs).apiSchema;
  return buildEmbeddedSchema(apiSchema, subgraphs);
}

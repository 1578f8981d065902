import type { GraphQLSchema } from 'graphql';
import { buildAllSubgraphs } from '../../subgraphs';
import { composeSupergraph } from '../compose';
import { buildEmbeddedSchema } from './local-federation';

export { buildEmbeddedSchema } from './local-federation';

/** The supergraph's API schema, executable in one process over the three subgraphs' resolvers. */
export async function buildEmbeddedSupergraphSchema(): Promise<GraphQLSchema> {
  const subgraphs = await buildAllSubgraphs();
  const { apiSchema } = composeSupergraph(subgraphs);
  return buildEmbeddedSchema(apiSchema, subgraphs);
}

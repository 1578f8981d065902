import type * as Composition from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import type { SubgraphDefinition } from '../subgraphs';

let composition: typeof Composition | undefined;

/** The composer, loaded on first use: an embedded start whose API schema is cached never loads it (embedded/api-schema-cache.ts). */
function composer(): typeof Composition {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load; composeSupergraph stays synchronous for its callers
  return (composition ??= require('@apollo/composition') as typeof Composition);
}

export interface ComposedSupergraph {
  /** Supergraph SDL for Apollo Router, Hive Router or @apollo/gateway. */
  supergraphSdl: string;
  /** The schema clients see (federation machinery removed), without resolvers. */
  apiSchema: GraphQLSchema;
  /** Composition hints; we keep none undecided, so tests expect this to be empty. */
  hints: string[];
}

/** Placeholder routing URLs for when only the schema matters (the embedded mode routes nothing). */
export function localSubgraphUrl(name: string): string {
  return `http://127.0.0.1/${name}/graphql`;
}

export function composeSupergraph(subgraphs: readonly SubgraphDefinition[], urls: Record<string, string> = {}): ComposedSupergraph {
  const result = composer().composeServices(
    subgraphs.map((subgraph) => ({
      name: subgraph.name,
      typeDefs: parse(subgraph.sdl),
      url: urls[subgraph.name] ?? localSubgraphUrl(subgraph.name),
    })),
  );
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

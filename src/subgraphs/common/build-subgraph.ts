import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import type { SubgraphContext } from './context';

export type ReferenceResolvers = Record<
  string,
  { __resolveReference(reference: { id: string }, context: SubgraphContext): unknown }
>;

export interface SubgraphDefinition {
  name: string;
  schema: GraphQLSchema;
  /** The subgraph's SDL with its Federation 2 directives, as composition sees it. */
  sdl: string;
}

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external"])';

/**
 * type-graphql classes → SDL with directives → Federation 2 subgraph schema, with the
 * type-graphql resolvers plus the entities' reference resolvers.
 */
export async function buildFederatedSubgraph(
  name: string,
  resolvers: NonEmptyArray<Function>,
  references: ReferenceResolvers,
  orphanedTypes: Function[] = [],
): Promise<SubgraphDefinition> {
  const typeGraphqlSchema = await buildSchema({ resolvers, orphanedTypes, skipCheck: true, validate: false });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolverMap = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(references)) {
    resolverMap[typeName] = { ...(resolverMap[typeName] as object), __resolveReference: reference.__resolveReference } as never;
  }
  const schema = buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolverMap });
  return { name, schema, sdl };
}

import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isObjectType, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type NonEmptyArray, type PubSub } from 'type-graphql';
import type { SubgraphContext } from './context';
import { PII_FIELDS, PII_NOTES } from '../../security';
import type { EntityName } from '../../read-model';
import { enforceFieldPolicy } from './enforce-policy';

/** Each entity's reference resolver: through the read model, so a row out of the caller's scope answers null, exactly as an unknown key. */
export type ReferenceResolvers = Record<string, { __resolveReference(reference: { id: string }, context: SubgraphContext): unknown }>;

/** The reference of an entity another subgraph owns: its key, when the caller may reach it. */
export function keyReference(typeName: EntityName): ReferenceResolvers[string] {
  return { __resolveReference: (reference, ctx) => ctx.data.entityKey(typeName, reference.id) };
}

export interface SubgraphDefinition {
  name: string;
  schema: GraphQLSchema;
  /** The subgraph's SDL with its Federation 2 directives, as composition sees it. */
  sdl: string;
}

const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external"])';

/**
 * type-graphql insists on a PubSub once a schema has a Subscription; ours take no topics: each field's own `subscribe`
 * reads the caller's change streams (subgraphs/orders/order-change.resolver.ts), so topics are a mistake.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Subscriptions here read change streams, not PubSub topics');
  },
  subscribe: () => {
    throw new Error('Subscriptions here read change streams, not PubSub topics');
  },
};

/**
 * type-graphql classes → SDL with directives → Federation 2 subgraph schema, with the
 * type-graphql resolvers plus the entities' reference resolvers (a key that is not a string answers
 * null), under the field policy (access and masking: see enforce-policy.ts). Row scope is the read model's.
 */
export async function buildFederatedSubgraph(
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's own signature for resolver and type classes
  resolvers: NonEmptyArray<Function>,
  references: ReferenceResolvers,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- as above
  orphanedTypes: Function[] = [],
): Promise<SubgraphDefinition> {
  const typeGraphqlSchema = markPiiFields(await buildSchema({ resolvers, orphanedTypes, skipCheck: true, validate: false, pubSub: NO_TOPICS }));
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolverMap = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(references)) {
    const __resolveReference = (key: { id: unknown }, ctx: SubgraphContext) =>
      typeof key.id === 'string' ? reference.__resolveReference({ id: key.id }, ctx) : null;
    resolverMap[typeName] = { ...(resolverMap[typeName] as object), __resolveReference } as never;
  }
  const schema = enforceFieldPolicy(buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolverMap }));
  return { name, schema, sdl };
}

/** PII fields say so in their description (from the policy's PII list), so clients and the composed schema see them marked. */
function markPiiFields(schema: GraphQLSchema): GraphQLSchema {
  for (const [coordinate, kind] of PII_FIELDS) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    // An entity's key in a subgraph that only extends the entity stays undescribed: the owner's description (marked) wins composition.
    if (!field || (fieldName === 'id' && !field.description)) continue;
    field.description = field.description ? `${field.description}. ${PII_NOTES[kind]}` : PII_NOTES[kind];
  }
  return schema;
}

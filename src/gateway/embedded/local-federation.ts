import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { SubgraphDefinition } from '../../subgraphs';

/**
 * Runs the composed API schema in one process without a query planner: every field calls the
 * resolver of a subgraph that defines it. Objects remember which subgraph produced them; when a
 * field belongs to another subgraph, the object is first turned into that subgraph's entity through
 * its reference resolver (batched by the subgraph's DataLoaders), just as a router would do with
 * `_entities`, minus the HTTP hop, the planning and the JSON round trip.
 */
type Reference = { __typename: string } & Record<string, unknown>;
type ResolveReference = (reference: Reference, context: unknown, info: GraphQLResolveInfo) => unknown;
type SubgraphTypeExtensions = { apollo?: { subgraph?: { resolveReference?: ResolveReference } } } | undefined;

interface FieldRoute {
  /** Subgraph name → that subgraph's resolver for this field. */
  resolvers: Map<string, GraphQLFieldResolver<unknown, unknown>>;
  /** Where to go when the parent's subgraph does not define the field. */
  owner: string;
  returnsObjects: boolean;
}

const origins = new WeakMap<object, string>();
const hydrations = new WeakMap<object, WeakMap<object, Map<string, Promise<unknown>>>>();

export function buildEmbeddedSchema(apiSchema: GraphQLSchema, subgraphs: readonly SubgraphDefinition[]): GraphQLSchema {
  adoptScalarImplementations(apiSchema, subgraphs);
  const keyFields = collectKeyFields(subgraphs);
  const referenceResolvers = collectReferenceResolvers(subgraphs);

  for (const type of Object.values(apiSchema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const route = routeFor(type.name, field.name, subgraphs);
      route.returnsObjects = isCompositeType(getNamedType(field.type));
      field.resolve = makeResolver(type.name, route, keyFields, referenceResolvers);
    }
  }
  return apiSchema;
}

function routeFor(typeName: string, fieldName: string, subgraphs: readonly SubgraphDefinition[]): FieldRoute {
  const resolvers = new Map<string, GraphQLFieldResolver<unknown, unknown>>();
  for (const subgraph of subgraphs) {
    const type = subgraph.schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const field = type.getFields()[fieldName];
    if (!field || field.astNode?.directives?.some((d) => d.name.value === 'external')) continue;
    resolvers.set(subgraph.name, field.resolve ?? defaultFieldResolver);
  }
  const owner = resolvers.keys().next().value;
  if (owner === undefined) throw new Error(`No subgraph resolves ${typeName}.${fieldName}`);
  return { resolvers, owner, returnsObjects: false };
}

function makeResolver(
  typeName: string,
  route: FieldRoute,
  keyFields: Map<string, Map<string, string[]>>,
  referenceResolvers: Map<string, Map<string, ResolveReference>>,
): GraphQLFieldResolver<unknown, unknown> {
  const tagResult = (value: unknown, subgraph: string) => (route.returnsObjects ? tag(value, subgraph) : value);
  return (parent, args, context, info) => {
    const origin = (isObject(parent) && origins.get(parent)) || route.owner;
    const local = route.resolvers.get(origin);
    if (local) return settle(local(parent, args, context, info), (value) => tagResult(value, origin));

    const target = route.owner;
    const resolver = route.resolvers.get(target)!;
    return hydrate(parent as object, typeName, target, keyFields, referenceResolvers, context, info).then((entity) =>
      entity === null || entity === undefined ? null : settle(resolver(entity, args, context, info), (value) => tagResult(value, target)),
    );
  };
}

/** The parent as `target` subgraph's entity: its reference resolver applied to the parent's key. Once per request. */
function hydrate(
  parent: object,
  typeName: string,
  target: string,
  keyFields: Map<string, Map<string, string[]>>,
  referenceResolvers: Map<string, Map<string, ResolveReference>>,
  context: unknown,
  info: GraphQLResolveInfo,
): Promise<unknown> {
  const contextKey = isObject(context) ? context : hydrations;
  let perRequest = hydrations.get(contextKey);
  if (!perRequest) hydrations.set(contextKey, (perRequest = new WeakMap()));
  let perParent = perRequest.get(parent);
  if (!perParent) perRequest.set(parent, (perParent = new Map()));
  const cached = perParent.get(target);
  if (cached) return cached;

  const keys = keyFields.get(target)?.get(typeName);
  if (!keys) throw new Error(`${typeName} is not an entity of subgraph ${target}`);
  const reference: Reference = { __typename: typeName };
  for (const key of keys) reference[key] = (parent as Record<string, unknown>)[key];
  const resolveReference = referenceResolvers.get(target)?.get(typeName);
  const entity = Promise.resolve(resolveReference ? resolveReference(reference, context, info) : reference).then((value) => tag(value, target));
  perParent.set(target, entity);
  return entity;
}

function tag(value: unknown, subgraph: string): unknown {
  if (Array.isArray(value)) {
    for (const item of value) tag(item, subgraph);
  } else if (isObject(value) && !origins.has(value)) {
    origins.set(value, subgraph);
  }
  return value;
}

function settle(value: unknown, then: (value: unknown) => unknown): unknown {
  return value instanceof Promise ? value.then(then) : then(value);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The API schema knows custom scalars by name only; give them the subgraphs' parsing and serialising. */
function adoptScalarImplementations(apiSchema: GraphQLSchema, subgraphs: readonly SubgraphDefinition[]): void {
  for (const type of Object.values(apiSchema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    const implementation = subgraphs.map((s) => s.schema.getType(type.name)).find(isScalarType);
    if (!implementation) throw new Error(`No subgraph implements scalar ${type.name}`);
    Object.assign(type, {
      serialize: implementation.serialize,
      parseValue: implementation.parseValue,
      parseLiteral: implementation.parseLiteral,
    });
  }
}

/** subgraph → entity type → key fields, read from each type's @key directive. */
function collectKeyFields(subgraphs: readonly SubgraphDefinition[]): Map<string, Map<string, string[]>> {
  const result = new Map<string, Map<string, string[]>>();
  for (const subgraph of subgraphs) {
    const entities = new Map<string, string[]>();
    for (const type of Object.values(subgraph.schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      const key = type.astNode?.directives?.find((d) => d.name.value === 'key');
      const fieldsArgument = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fieldsArgument?.kind === Kind.STRING) entities.set(type.name, fieldsArgument.value.trim().split(/\s+/));
    }
    result.set(subgraph.name, entities);
  }
  return result;
}

/** @apollo/subgraph keeps each entity's __resolveReference in its object type's extensions. */
function collectReferenceResolvers(subgraphs: readonly SubgraphDefinition[]): Map<string, Map<string, ResolveReference>> {
  const result = new Map<string, Map<string, ResolveReference>>();
  for (const subgraph of subgraphs) {
    const resolvers = new Map<string, ResolveReference>();
    for (const type of Object.values(subgraph.schema.getTypeMap())) {
      const extensions = isObjectType(type) ? (type.extensions as SubgraphTypeExtensions) : undefined;
      const resolveReference = extensions?.apollo?.subgraph?.resolveReference;
      if (resolveReference) resolvers.set(type.name, resolveReference);
    }
    result.set(subgraph.name, resolvers);
  }
  return result;
}

/**
 * Runtime half of the read-model proof (the compile-time half: read-model.types.ts). Every resolver
 * of every subgraph — each Query field and @FieldResolver type-graphql registered, and each entity's
 * reference resolver — is run, as a subgraph service runs it (root fields, and `_entities` for every
 * entity with real keys from the seeded stores), against the real per-request context wrapped so that
 * reading anything but its allowed members (or anything but the read model's own methods) throws and
 * is recorded. The test fails when a resolver reads e.g. `ctx.sources`, and when a resolver exists
 * that no operation here reached (so a new one is covered as soon as it is written).
 */
import {
  astFromValue,
  defaultFieldResolver,
  execute,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { createRequestContextFactory, type RequestContextFactory } from '../../src/gateway';
import { ScoringService } from '../../src/scoring';
import type { Principal } from '../../src/security';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { buildAllSubgraphs, type SubgraphContext, type SubgraphDefinition } from '../../src/subgraphs';
import { openTestSources } from '../helpers/backends';
import { servableModels } from '../scoring/helpers/models-dir';
import { pickData, type DataFixture } from '../security/security-fixtures';

/** The context's members a resolver may read (the type makes this list follow SubgraphContext). */
const ALLOWED: Record<keyof SubgraphContext, true> = { data: true, scoring: true, principal: true, requestId: true };

const MAX_DEPTH = 6;
type ReferenceResolver = (reference: object, context: unknown, info: unknown) => unknown;
type Extensions = { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } };

let sources: Sources;
let service: ScoringService;
let models: ReturnType<typeof servableModels>;
let subgraphs: SubgraphDefinition[];
let contextFor: RequestContextFactory;
let data: DataFixture;
/** `subgraph:Type.field` (or `subgraph:Type.__resolveReference`) of every resolver that ran. */
const ran = new Set<string>();
const violations: string[] = [];

beforeAll(async () => {
  sources = await openTestSources();
  models = servableModels();
  service = await ScoringService.start({ sources, dataKey: configFromEnv().dataDir, config: { modelsDir: models.dir }, log: () => undefined });
  await service.ensureFeatures();
  contextFor = await createRequestContextFactory(sources, service);
  data = await pickData(sources);
  subgraphs = await buildAllSubgraphs();
  for (const subgraph of subgraphs) recordResolvers(subgraph);
}, 300_000);

afterAll(async () => {
  await service?.close();
  await sources?.close();
  models?.remove();
});

/** Wraps every field resolver and reference resolver of the subgraph so that running it is recorded. */
function recordResolvers(subgraph: SubgraphDefinition): void {
  for (const type of objectTypes(subgraph.schema)) {
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) => {
        ran.add(`${subgraph.name}:${type.name}.${field.name}`);
        return resolve(parent, args, ctx, info);
      };
    }
    const apollo = (type.extensions as Extensions).apollo?.subgraph;
    const resolveReference = apollo?.resolveReference;
    if (apollo && resolveReference) {
      apollo.resolveReference = (reference, ctx, info) => {
        ran.add(`${subgraph.name}:${type.name}.__resolveReference`);
        return resolveReference(reference, ctx, info);
      };
    }
  }
}

function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('_'));
}

/** `Type.field` of every resolver written with type-graphql (queries and @FieldResolver methods, inherited ones included). */
function writtenResolvers(): Set<string> {
  const storage = getMetadataStorage();
  const typeName = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  return new Set([
    ...storage.queries.map((query) => `Query.${query.schemaName}`),
    ...storage.fieldResolvers.map((resolver) => `${typeName.get(resolver.getObjectType!() as never)}.${resolver.schemaName}`),
  ]);
}

/** The resolvers the test must see run: per subgraph, the written ones its schema has, and its reference resolvers. */
function enumerateResolvers(): string[] {
  const written = writtenResolvers();
  return subgraphs.flatMap((subgraph) =>
    objectTypes(subgraph.schema).flatMap((type) => [
      ...Object.keys(type.getFields())
        .filter((field) => written.has(`${type.name}.${field}`))
        .map((field) => `${subgraph.name}:${type.name}.${field}`),
      ...((type.extensions as Extensions).apollo?.subgraph?.resolveReference ? [`${subgraph.name}:${type.name}.__resolveReference`] : []),
    ]),
  );
}

/** The real request context, behind proxies that record and refuse anything but the allowed members and the read model's own methods. */
function guarded(principal: Principal): SubgraphContext {
  const context = contextFor({ principal, requestId: 'read-model-test' });
  const only = <T extends object>(target: T, name: string, allowed: (key: string) => boolean): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        // `then`: libraries probe values for a promise (reading nothing); symbols: inspection.
        if (typeof key === 'string' && key !== 'then' && !allowed(key)) {
          violations.push(`${principal.role} read ${name}.${key}`);
          throw new Error(`resolver read ${name}.${key}, which the context does not offer`);
        }
        return Reflect.get(object, key, receiver);
      },
    });
  const methods = (target: object) => (key: string) => Object.prototype.hasOwnProperty.call(target, key);
  return only(
    {
      ...context,
      data: only(context.data, 'ctx.data', methods(context.data)),
      ...(context.scoring ? { scoring: only(context.scoring, 'ctx.scoring', methods(context.scoring)) } : {}),
    },
    'ctx',
    (key) => key in ALLOWED,
  );
}

/** Argument values for the fields that need one (and `first` kept small); real ids from the seeded stores. */
function argumentsOf(coordinate: string, field: GraphQLField<unknown, unknown>): string {
  const values: Record<string, Record<string, unknown>> = {
    'Query.user': { id: data.alice.personId },
    'Query.order': { id: data.alice.orderIds[0] },
    'Query.product': { id: data.sharedProduct },
    'Query.seller': { id: data.seller.id },
    'Subscription.orderUpdated': { id: data.alice.orderIds[0] },
    'Query.orderStats': { groupBy: ['ORDER_STATUS'] },
    'Product.score': { userId: data.alice.personId },
  };
  const given = values[coordinate] ?? {};
  const parts = field.args.flatMap((arg) => {
    const value = arg.name in given ? given[arg.name] : arg.name === 'first' ? 2 : undefined;
    if (value === undefined) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) throw new Error(`${coordinate}(${arg.name}) needs a value in argumentsOf`);
      return [];
    }
    return [`${arg.name}: ${print(astFromValue(value, arg.type)!)}`];
  });
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Every field of `type`, nested objects expanded until a type repeats on the path or MAX_DEPTH. */
function selectAll(schema: GraphQLSchema, type: GraphQLObjectType, path: readonly string[]): string {
  const fields = Object.values(type.getFields()).flatMap((field) => {
    if (type.name === 'Query' && field.name.startsWith('_')) return [];
    const named = getNamedType(field.type);
    const head = `${field.name}${argumentsOf(`${type.name}.${field.name}`, field)}`;
    if (isLeafType(named)) return [head];
    const targets = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
    const open = targets.filter((target) => !path.includes(target.name) && path.length < MAX_DEPTH);
    if (open.length === 0) return [];
    const inner = isAbstractType(named)
      ? open.map((target) => `... on ${target.name} { ${selectAll(schema, target, [...path, target.name])} }`).join(' ')
      : selectAll(schema, open[0], [...path, open[0].name]);
    return [`${head} { __typename ${inner} }`];
  });
  return ['__typename', ...fields].join(' ');
}

/** The members of the subgraph's `_Entity` union. */
function entityNames(schema: GraphQLSchema): Set<string> {
  const union = schema.getType('_Entity');
  return new Set(union && isAbstractType(union) ? schema.getPossibleTypes(union).map((type) => type.name) : []);
}

/**
 * The operations a router could send this subgraph: all its root fields, `_entities` for each entity it resolves, and
 * each Subscription field executed on one event (graphql-js executes a subscription's selection with the event as root).
 */
function operationsFor(subgraph: SubgraphDefinition): { query: string; variables?: Record<string, unknown>; rootValue?: unknown }[] {
  const keyOf: Record<string, Record<string, string>> = {
    User: { id: data.alice.personId },
    Product: { id: data.sharedProduct },
    Seller: { id: data.seller.id },
    Order: { id: data.alice.orderIds[0] },
    Category: { name: 'bed_bath_table' },
  };
  const query = subgraph.schema.getQueryType()!;
  const entities = objectTypes(subgraph.schema)
    // Entities with a reference resolver, and those resolved from their key alone (e.g. Category).
    .filter((type) => (type.extensions as Extensions).apollo?.subgraph?.resolveReference || entityNames(subgraph.schema).has(type.name))
    .map((type) => {
      if (!keyOf[type.name]) throw new Error(`no key for entity ${type.name} in operationsFor`);
      return {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${type.name} { ${selectAll(subgraph.schema, type, [type.name])} } } }`,
        variables: { r: [{ __typename: type.name, ...keyOf[type.name] }] },
      };
    });
  const subscription = subgraph.schema.getSubscriptionType();
  const event = {
    eventId: 'read-model-test',
    type: 'order.status-changed',
    orderId: data.alice.orderIds[0],
    status: 'shipped',
    occurredAt: '2018-09-01 11:00:00',
    sellerIds: [],
  };
  const events = Object.values(subscription?.getFields() ?? {}).map((field) => {
    const named = getNamedType(field.type) as GraphQLObjectType;
    const head = `${field.name}${argumentsOf(`Subscription.${field.name}`, field)}`;
    return { query: `subscription { ${head} { ${selectAll(subgraph.schema, named, ['Subscription', named.name])} } }`, rootValue: event };
  });
  return [{ query: `{ ${selectAll(subgraph.schema, query, ['Query'])} }` }, ...entities, ...events];
}

async function runAll(principal: Principal): Promise<{ subgraph: string; message: string; path?: readonly (string | number)[] }[]> {
  const errors = [];
  for (const subgraph of subgraphs) {
    for (const operation of operationsFor(subgraph)) {
      const result = await execute({
        schema: subgraph.schema,
        document: parse(operation.query),
        variableValues: operation.variables,
        rootValue: operation.rootValue,
        contextValue: guarded(principal),
      });
      errors.push(...(result.errors ?? []).map((error) => ({ subgraph: subgraph.name, message: error.message, path: error.path })));
    }
  }
  return errors;
}

const principal = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
  role,
  subject: 'read-model-test',
  scopes: new Set(),
  via: 'jwt',
  ...extra,
});

describe('every resolver reads only ctx.data (and the scoring reads)', () => {
  test('as an admin: every resolver and reference resolver of every subgraph runs, none reaches outside the allowed context', async () => {
    violations.length = 0;
    ran.clear();
    const errors = await runAll(principal('admin'));
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    const enumerated = enumerateResolvers();
    // The enumeration is of the real subgraphs (not an empty list that proves nothing).
    expect(enumerated).toEqual(
      expect.arrayContaining(['orders:Order.items', 'users:User.__resolveReference', 'scoring:Product.score', 'quality:Query.dataQuality']),
    );
    expect(enumerated.filter((coordinate) => !ran.has(coordinate))).toEqual([]);
  }, 300_000);

  test.each([
    ['a customer', () => principal('customer', { subject: data.alice.personId })],
    ['a partner', () => principal('partner', { sellerId: data.seller.id, pseudonymKey: Buffer.alloc(32, 7) })],
    ['the storefront', () => principal('frontend-service')],
    ['an anonymous caller', () => principal('anonymous', { via: 'anonymous' })],
  ])(
    'as %s: the same operations (refused fields and all) read nothing outside the allowed context',
    async (_name, who) => {
      violations.length = 0;
      await runAll(who());
      expect(violations).toEqual([]);
    },
    300_000,
  );

  test('a resolver that reads ctx.sources is caught', async () => {
    const orders = subgraphs.find((subgraph) => subgraph.name === 'orders')!;
    const field = orders.schema.getQueryType()!.getFields().order;
    const original = field.resolve;
    field.resolve = (_parent, _args, ctx: Record<string, unknown>) => ctx.sources;
    try {
      violations.length = 0;
      const result = await execute({
        schema: orders.schema,
        document: parse(`{ order(id: "${data.alice.orderIds[0]}") { id } }`),
        contextValue: guarded(principal('admin')),
      });
      expect(result.errors?.map((error) => error.message)).toEqual(['resolver read ctx.sources, which the context does not offer']);
      expect(violations).toEqual(['admin read ctx.sources']);
    } finally {
      field.resolve = original;
    }
  });
});

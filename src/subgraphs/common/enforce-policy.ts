import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { canSee, fieldAccess, maskValue, POLICED_TYPES } from '../../security';
import { forbidden } from '../../shared';
import type { SubgraphContext } from './context';
import type { ReferenceResolvers } from './build-subgraph';

/**
 * Applies the security policy (src/security/policy.ts) to every field of the policed types: a
 * forbidden field throws FORBIDDEN before its resolver runs (so it reads nothing), a masked one
 * resolves and is then masked. The embedded gateway calls these same resolvers, so both
 * deployments enforce one policy.
 */
export function enforceFieldPolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !POLICED_TYPES.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = guarded(type.name, field.name, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function guarded(typeName: string, fieldName: string, resolve: GraphQLFieldResolver<unknown, SubgraphContext>): GraphQLFieldResolver<unknown, SubgraphContext> {
  return (parent, args, ctx, info) => {
    const access = fieldAccess(ctx.principal, typeName, fieldName);
    if (access === 'allow') return resolve(parent, args, ctx, info);
    if (access === 'forbid') throw forbidden(`${typeName}.${fieldName}`);
    const value = resolve(parent, args, ctx, info);
    return value instanceof Promise ? value.then((resolved) => maskValue(access.mask, resolved, ctx.principal)) : maskValue(access.mask, value, ctx.principal);
  };
}

/**
 * Entity references (`_entities` in a subgraph service, cross-subgraph hops in the embedded gateway)
 * answer null for a row out of the caller's scope, exactly as for an unknown key.
 */
export function scopeReferences(references: ReferenceResolvers): ReferenceResolvers {
  return Object.fromEntries(
    Object.entries(references).map(([typeName, reference]) => [
      typeName,
      {
        async __resolveReference(key: { id: string }, ctx: SubgraphContext, ...rest: unknown[]) {
          if (typeof key.id !== 'string' || !(await canSee(ctx.principal, ctx.loaders, typeName, key.id))) return null;
          return (reference.__resolveReference as (...args: unknown[]) => unknown)(key, ctx, ...rest);
        },
      },
    ]),
  );
}

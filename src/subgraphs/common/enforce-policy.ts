import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { fieldAccess, maskValue, POLICED_TYPES } from '../../security';
import { forbidden } from '../../shared';
import type { SubgraphContext } from './context';

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

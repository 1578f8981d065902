import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../shared';
import { principalOfContext } from './request-principal';

const SUGGESTION = /\s*Did you mean [^?]+\?/g;

/**
 * Production hardening per caller (Apollo's own `introspection` switch is global): for everyone but
 * admins, `__schema`/`__type` are rejected (HTTP 400 INTROSPECTION_DISABLED) and "Did you mean …"
 * field suggestions are cut from error messages, so the schema cannot be read out by probing.
 */
export function useIntrospectionPolicy(): ApolloServerPlugin {
  const introspects = new WeakMap<DocumentNode, boolean>();
  return {
    async requestDidStart({ contextValue }) {
      if (principalOfContext(contextValue).role === 'admin') return;
      return {
        async didResolveOperation({ document }) {
          let found = introspects.get(document);
          if (found === undefined) {
            found = readsSchema(document);
            introspects.set(document, found);
          }
          if (found) {
            throw new GraphQLError('Introspection is disabled', {
              extensions: { code: ErrorCode.IntrospectionDisabled, http: { status: 400 } },
            });
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}

function readsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

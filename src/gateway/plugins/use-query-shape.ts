import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError } from 'graphql';
import { queryShapeViolation, type QueryShapeLimits } from '../../security/limits';

/**
 * Rejects operations deeper, with more aliases or more directives than the limits: HTTP 400 with
 * QUERY_TOO_DEEP, TOO_MANY_ALIASES or TOO_MANY_DIRECTIVES. Runs once the operation is resolved (a
 * throw there keeps its code); the verdict is remembered per parsed document, which Apollo caches.
 */
export function useQueryShape(limits: QueryShapeLimits): ApolloServerPlugin {
  const verdicts = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document }) {
          let verdict = verdicts.get(document);
          if (verdict === undefined) {
            verdict = queryShapeViolation(schema, document, limits);
            verdicts.set(document, verdict);
          }
          if (verdict) throw verdict;
        },
      };
    },
  };
}

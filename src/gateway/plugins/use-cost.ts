import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import { operationCost, type CostModel } from '../../security/limits';
import { ErrorCode } from '../../shared';

/** Costs remembered per parsed document (Apollo caches those), per distinct cost-relevant variables. */
const REMEMBERED_PER_DOCUMENT = 64;

/**
 * Rejects an operation whose cost (src/security/limits/cost.ts: weights, connections × `first`,
 * variables included) is over `max`: HTTP 400 QUERY_TOO_COSTLY with the cost and the limit.
 */
export function useCost(options: CostModel & { max: number }): ApolloServerPlugin {
  const remembered = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const variables = request.variables ?? {};
          const key = costKey(operationName, variables);
          let costs = remembered.get(document);
          let cost = key === undefined ? undefined : costs?.get(key);
          if (cost === undefined) {
            try {
              cost = operationCost(schema, document, variables, operationName ?? undefined, options);
            } catch {
              // Variables that do not fit the operation: execution rejects them with BAD_USER_INPUT.
              return;
            }
            if (key !== undefined) {
              if (!costs) remembered.set(document, (costs = new Map()));
              if (costs.size >= REMEMBERED_PER_DOCUMENT) costs.clear();
              costs.set(key, cost);
            }
          }
          if (cost > options.max) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${options.max}`, {
              extensions: { code: ErrorCode.QueryTooCostly, cost, limit: options.max, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * What the cost of one document depends on: numbers (`first`) and booleans (@include/@skip); ids and
 * other strings do not. Undefined (compute, do not remember) when a variable is a list or an object.
 */
function costKey(operationName: string | null | undefined, variables: Record<string, unknown>): string | undefined {
  let key = operationName ?? '';
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') continue;
    if (value !== null && typeof value === 'object') return undefined;
    key += `|${name}=${String(value)}`;
  }
  return key;
}

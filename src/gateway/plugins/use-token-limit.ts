import { tokenCountUpTo } from '../../security/limits';
import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpPlugin } from '../http/http-plugin';

/**
 * Rejects a query text of more than `maxTokens` lexical tokens before anything parses it: HTTP 400
 * TOO_MANY_TOKENS. (graphql-armor's max-tokens plugin throws from Apollo's parsing hook, which
 * Apollo Server 5 answers with a 500; counting here, on the raw text, never reaches that path.)
 */
export function useTokenLimit(maxTokens: number): HttpPlugin {
  return {
    name: 'token-limit',
    onGraphQLRequest(exchange) {
      const query = exchange.graphql?.query;
      if (typeof query !== 'string' || tokenCountUpTo(query, maxTokens) <= maxTokens) return;
      return {
        status: 400,
        body: errorBody(`Query has more than ${maxTokens} tokens`, ErrorCode.TooManyTokens, { limit: maxTokens }),
      };
    },
  };
}

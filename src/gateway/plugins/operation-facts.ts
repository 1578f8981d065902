import type { GraphQLRequestContextWillSendResponse, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { ErrorCode } from '../../shared';

/** What the metrics, tracing and logging plugins say about an operation, computed the same way for each. */

/** The resolved operation's name (`anonymous` when unnamed) and type; `invalid` before it resolved (parse or validation failure). */
export function operationOf(requestContext: { operation?: { name?: { value: string } | null; operation: string } | null }): { name: string; type: string } {
  const operation = requestContext.operation;
  if (!operation) return { name: 'invalid', type: 'invalid' };
  return { name: operation.name?.value ?? 'anonymous', type: operation.operation };
}

/** An error's public code; an uncoded error is answered as INTERNAL_SERVER_ERROR (see gateway/apollo.ts). */
export function errorCodeOf(error: GraphQLError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' && code.length > 0 ? code : ErrorCode.InternalServerError;
}

/** ok: no errors; partial: data with errors; failed: errors and no data. */
export function outcomeOf(requestContext: GraphQLRequestContextWillSendResponse<BaseContext>): 'ok' | 'partial' | 'failed' {
  const body = requestContext.response.body;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  if (!result.errors || result.errors.length === 0) return 'ok';
  return result.data !== undefined && result.data !== null ? 'partial' : 'failed';
}

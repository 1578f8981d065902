import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../shared';

/**
 * Apollo Server with our error policy: coded errors pass through as they are; anything uncoded
 * (a bug, a driver exception) is logged here and reaches the client as a generic
 * INTERNAL_SERVER_ERROR, without its message or stack.
 */
export function createApolloServer<TContext extends BaseContext>(
  options: Pick<ApolloServerOptions<TContext>, 'schema' | 'gateway'>,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    ...(options as ApolloServerOptions<TContext>),
    includeStacktraceInErrorResponses: false,
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      if (formatted.extensions?.code !== ErrorCode.InternalServerError) return formatted;
      console.error('unexpected error', unwrapResolverError(error));
      return { ...formatted, message: 'Internal server error' };
    },
  });
}

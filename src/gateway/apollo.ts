import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError, ValidationRule } from 'graphql';
import { ErrorCode } from '../shared';

export interface ApolloServerExtras<TContext extends BaseContext> {
  /** Apollo Server plugins (metrics, tracing, limits), in order. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra validation rules (depth, aliases, cost...). */
  validationRules?: ValidationRule[];
}

/**
 * Apollo Server with our error policy: coded errors pass through as they are; anything uncoded
 * (a bug, a driver exception) is logged here and reaches the client as a generic
 * INTERNAL_SERVER_ERROR, without its message or stack.
 */
export function createApolloServer<TContext extends BaseContext>(
  options: Pick<ApolloServerOptions<TContext>, 'schema' | 'gateway'> & ApolloServerExtras<TContext>,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    ...(options as ApolloServerOptions<TContext>),
    plugins: options.plugins ?? [],
    validationRules: options.validationRules ?? [],
    includeStacktraceInErrorResponses: false,
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      if (formatted.extensions?.code !== ErrorCode.InternalServerError) return formatted;
      console.error('unexpected error', unwrapResolverError(error));
      return { ...formatted, message: 'Internal server error' };
    },
  });
}

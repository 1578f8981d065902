import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, ValidationRule } from 'graphql';
import { ErrorCode } from '../shared';
import { logUnexpectedErrors } from './plugins/use-request-logging';

export interface ApolloServerExtras<TContext extends BaseContext> {
  /** Apollo Server plugins (metrics, tracing, limits), in order. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra validation rules (depth, aliases, cost...). */
  validationRules?: ValidationRule[];
}

/**
 * Apollo Server with our error policy: coded errors pass through as they are; anything uncoded
 * (a bug, a driver exception) is logged with its request id (logUnexpectedErrors) and reaches the client as a generic
 * INTERNAL_SERVER_ERROR, without its message or stack.
 */
export function createApolloServer<TContext extends BaseContext>(
  options: Pick<ApolloServerOptions<TContext>, 'schema' | 'gateway'> & ApolloServerExtras<TContext>,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    ...(options as ApolloServerOptions<TContext>),
    // Browsers get our own explorer (gateway/web), never Apollo's landing page, which loads from Apollo's CDN.
    // No field carries a cache hint, so Apollo's implicit cache-control plugin would only wrap every resolver
    // (its willResolveField) to compute a policy that is always "no cache".
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), logUnexpectedErrors, ...(options.plugins ?? [])],
    validationRules: options.validationRules ?? [],
    includeStacktraceInErrorResponses: false,
    // Who may introspect is decided per caller (gateway/plugins/use-introspection.ts), not by NODE_ENV.
    introspection: true,
    formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
      if (formatted.extensions?.code !== ErrorCode.InternalServerError) return formatted;
      return { ...formatted, message: 'Internal server error' };
    },
  });
}

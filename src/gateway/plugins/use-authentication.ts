import type { SecurityConfig } from '../../config/security-config';
import { AuthenticationError, createAuthenticator } from '../../security';
import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpPlugin } from '../http/http-plugin';

/**
 * Establishes the caller from the request headers, before the body is read: a Bearer JWT or a partner
 * `x-api-key` → `exchange.principal`; no credential → the anonymous principal (which reads only what
 * `security.anonymous` opens). A credential that fails (bad signature, expired, wrong audience,
 * revoked key) is answered 401 UNAUTHENTICATED — never downgraded to anonymous.
 */
export function useAuthentication(config: SecurityConfig): HttpPlugin {
  const authenticator = createAuthenticator(config);
  return {
    name: 'authentication',
    async onRequest(exchange) {
      try {
        exchange.principal = await authenticator.authenticate(exchange.request.headers);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        return {
          status: 401,
          headers: { 'www-authenticate': 'Bearer' },
          body: errorBody(`Unauthenticated: ${error.message}`, ErrorCode.Unauthenticated),
        };
      }
    },
  };
}

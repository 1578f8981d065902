import { GraphQLError } from 'graphql';

/**
 * Public error codes. Clients branch on `extensions.code`; these strings are a contract.
 * Apollo Server's own codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, ...) pass through unchanged.
 */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  SourceUnavailable = 'SOURCE_UNAVAILABLE',
  ModelUnavailable = 'MODEL_UNAVAILABLE',
  InternalServerError = 'INTERNAL_SERVER_ERROR',
  /** A subscription asked of a process that does not follow the change events, or over plain HTTP (not SSE or WebSocket). */
  SubscriptionsUnavailable = 'SUBSCRIPTIONS_UNAVAILABLE',
  /** No valid credential: a bad, expired or revoked token or API key (HTTP 401). */
  Unauthenticated = 'UNAUTHENTICATED',
  /** The caller's role may not read this field (the field is null). */
  Forbidden = 'FORBIDDEN',
  // Abuse limits and trusted documents (HTTP 400 unless noted; src/gateway/plugins/use-*.ts).
  QueryTooDeep = 'QUERY_TOO_DEEP',
  TooManyAliases = 'TOO_MANY_ALIASES',
  TooManyTokens = 'TOO_MANY_TOKENS',
  TooManyDirectives = 'TOO_MANY_DIRECTIVES',
  QueryTooCostly = 'QUERY_TOO_COSTLY',
  /** Over the client's request budget (HTTP 429, with Retry-After). */
  RateLimited = 'RATE_LIMITED',
  PersistedQueryNotFound = 'PERSISTED_QUERY_NOT_FOUND',
  OperationNotTrusted = 'OPERATION_NOT_TRUSTED',
  IntrospectionDisabled = 'INTROSPECTION_DISABLED',
  /** A CORS preflight from an origin not in `limits.cors.allowedOrigins` (HTTP 403). */
  OriginNotAllowed = 'ORIGIN_NOT_ALLOWED',
}

/** A client mistake (malformed id, bad cursor, page size out of range): HTTP 200 with a coded error. */
export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BadUserInput, ...(argumentName ? { argumentName } : {}) },
  });
}

/** A back-end could not answer; the fields it feeds resolve to null. */
export function sourceUnavailable(source: string, cause?: unknown): GraphQLError {
  return new GraphQLError(`Source "${source}" is unavailable`, {
    extensions: { code: ErrorCode.SourceUnavailable, source },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** The caller's role may not read this field: it resolves to null, its siblings still answer. */
export function forbidden(what: string): GraphQLError {
  return new GraphQLError(`Not allowed to read ${what}`, { extensions: { code: ErrorCode.Forbidden } });
}

/** A subscription where no change stream reaches (plain HTTP, a process without change events, @apollo/gateway): `message` says where to subscribe. */
export function subscriptionsUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SubscriptionsUnavailable } });
}

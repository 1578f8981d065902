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

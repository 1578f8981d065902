import { GraphQLError } from 'graphql';
import { ErrorCode } from '../shared/errors';

/** A model (or the feature store it reads) cannot answer: the scoring field is null, its siblings are not. */
export function modelUnavailable(model: string, reason: string): GraphQLError {
  return new GraphQLError(`Model "${model}" is unavailable: ${reason}`, {
    extensions: { code: ErrorCode.ModelUnavailable, model },
  });
}

export function isModelUnavailable(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions?.code === ErrorCode.ModelUnavailable;
}

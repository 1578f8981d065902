import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Lexer, Source, TokenKind, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { ErrorCode } from '../../shared';

export interface QueryShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

/**
 * The first shape limit a document breaks (depth, aliases, directives), as a coded HTTP 400 error, or
 * null. graphql-armor's rules do the counting (fragments included); they run here, outside Apollo's
 * validation phase, because Apollo re-codes every validation error as GRAPHQL_VALIDATION_FAILED.
 */
export function queryShapeViolation(schema: GraphQLSchema, document: DocumentNode, limits: QueryShapeLimits): GraphQLError | null {
  const found: GraphQLError[] = [];
  const coded =
    (code: ErrorCode, limit: number) =>
    (_context: unknown, error: GraphQLError): void => {
      found.push(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
          extensions: { code, limit, http: { status: 400 } },
        }),
      );
    };
  const options = (code: ErrorCode, n: number) => ({ n, exposeLimits: true, propagateOnRejection: false, onReject: [coded(code, n)] });
  const rules = [
    maxDepthRule({ ...options(ErrorCode.QueryTooDeep, limits.maxDepth), ignoreIntrospection: true }),
    maxAliasesRule(options(ErrorCode.TooManyAliases, limits.maxAliases)),
    maxDirectivesRule(options(ErrorCode.TooManyDirectives, limits.maxDirectives)),
  ] as unknown as ValidationRule[];
  validate(schema, document, rules);
  return found[0] ?? null;
}

/**
 * Counts the lexical tokens of a query text, stopping at `limit + 1`: cheap enough to run before the
 * text is parsed. A text the lexer cannot read is left to the parser (GRAPHQL_PARSE_FAILED).
 */
export function tokenCountUpTo(query: string, limit: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= limit && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // a syntax error: the parser reports it
  }
  return count;
}

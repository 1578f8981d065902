import { GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '../../shared';
import { GraphQLError } from 'graphql';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(value: unknown): Date {
  if (typeof value === 'string' && RFC3339.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError(`DateTime must be an RFC 3339 date-time with an offset, e.g. 2018-01-31T12:00:00-02:00; got ${JSON.stringify(value)}`, {
    extensions: { code: ErrorCode.BadUserInput },
  });
}

/**
 * ISO-8601 / RFC 3339 date-time. Output keeps the offset of the source's zone at that instant
 * ("2017-10-02T10:56:33-03:00"), which graphql-scalars' DateTime would rewrite to UTC.
 * Input is any RFC 3339 date-time with an offset, parsed to a Date.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date-time with offset, e.g. 2017-10-02T10:56:33-03:00',
  serialize(value) {
    if (typeof value === 'string' && RFC3339.test(value)) return value;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parseInstant(undefined);
    return parseInstant(ast.value);
  },
});

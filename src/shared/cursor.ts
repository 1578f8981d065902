import { badUserInput } from './errors';

/**
 * Opaque Relay cursors: base64url of a JSON array holding the sort key of the row.
 * Decoding validates shape so a forged or truncated cursor is a BAD_USER_INPUT, never a crash.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, argumentName = 'after'): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput(`Invalid cursor "${cursor}"`, argumentName);
  }
  const valid =
    Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)));
  if (!valid) throw badUserInput(`Invalid cursor "${cursor}"`, argumentName);
  return key as (string | number)[];
}

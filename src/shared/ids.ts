import { badUserInput } from './errors';

/** Every Olist identifier (order, customer, person, product, seller, review) is 32 lowercase hex digits. */
const OLIST_ID = /^[0-9a-f]{32}$/;

export function isOlistId(value: string): boolean {
  return OLIST_ID.test(value);
}

export function assertOlistId(value: string, argumentName = 'id'): string {
  if (!isOlistId(value)) throw badUserInput(`Malformed id "${value}": expected 32 hexadecimal digits`, argumentName);
  return value;
}

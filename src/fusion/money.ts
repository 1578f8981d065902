/** Amounts are BRL with two decimals; sums of floating-point values are rounded back to cents. */
export function roundCents(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return roundCents(total);
}

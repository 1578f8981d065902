import { timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header (null: no such header). */
export function bearerTokenOf(header: string | undefined): string | null {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? null;
}

/** Whether the header carries exactly `token`, compared in constant time (a static shared secret, not a JWT). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const a = Buffer.from(bearerTokenOf(header) ?? '');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

import { createHmac } from 'node:crypto';
import type { MaskKind } from './policy';
import type { Principal } from './principal';

/** The per-partner key of pseudonyms: HMAC-SHA256(pseudonym secret, seller id). */
export function pseudonymKeyOf(secret: string, sellerId: string): Buffer {
  return createHmac('sha256', secret).update(sellerId).digest();
}

/** A person id as one partner sees it: HMAC-SHA256(partner key, id), 32 hex digits (the shape of an Olist id). */
export function pseudonymOf(key: Buffer, personId: string): string {
  return createHmac('sha256', key).update(personId).digest('hex').slice(0, 32);
}

/** Replaces a PII value the caller may not see (see policy.ts for which fields, docs/security.md for the forms). */
export function maskValue(kind: MaskKind, value: unknown, principal: Principal): unknown {
  if (value === null || value === undefined) return value;
  switch (kind) {
    case 'zip':
      return typeof value === 'string' ? `${value.slice(0, 2)}***` : null;
    case 'hidden':
      return null;
    case 'empty-list':
      return [];
    case 'raw-values':
      return Array.isArray(value) ? value.map((entry: Record<string, unknown>) => ({ ...entry, rawValue: null })) : value;
    case 'pseudonym':
      if (!principal.pseudonymKey) throw new Error(`no pseudonym key for ${principal.role} ${principal.subject}`);
      return pseudonymOf(principal.pseudonymKey, String(value));
  }
}

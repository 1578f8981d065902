import type { Role } from '../shared/roles';

export { ROLES, type Role } from '../shared/roles';

/** Who is calling, established once per request by authentication and carried in the resolver context. */
export interface Principal {
  role: Role;
  /** Token subject or API key id; for `customer` the person id (customer_unique_id). */
  subject: string;
  /** `partner` only: the seller the credential is bound to. */
  sellerId?: string;
  scopes: ReadonlySet<string>;
  /** `partner` only: the key of its pseudonyms of person ids (see masking.ts). */
  pseudonymKey?: Buffer;
  /** How the caller proved it: a JWT, a partner API key, or nothing. */
  via: 'jwt' | 'api-key' | 'anonymous';
}

/** The caller that presented no credential. */
export const ANONYMOUS: Principal = Object.freeze({ role: 'anonymous', subject: 'anonymous', scopes: new Set<string>(), via: 'anonymous' });

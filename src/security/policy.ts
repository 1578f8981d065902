import type { Principal, Role } from './principal';

/**
 * What each role may read, field by field — the one policy table. A field is allowed, forbidden
 * (null + FORBIDDEN) or masked (a PII field: the value is replaced, see masking.ts). Rows are scoped
 * by the read model (src/read-model/row-scope.ts). `admin` reads everything. A type not listed here (connections, edges, page info,
 * flags, scores) is reached only through a listed field and needs no rule of its own.
 */
export type MaskKind =
  /** zip prefix → its first two digits + "***" */
  | 'zip'
  /** → null (city, coordinates, free text) */
  | 'hidden'
  /** a list → [] (flags whose messages quote raw values) */
  | 'empty-list'
  /** provenance entries keep source/record/rules, lose their raw value */
  | 'raw-values'
  /** person id → HMAC-SHA256 pseudonym, stable per partner, different across partners */
  | 'pseudonym';

export type Access = 'allow' | 'forbid' | { mask: MaskKind };

/** The scope that lifts PII masking (BI tools that may see personal data). */
export const PII_READ_SCOPE = 'pii:read';
/** Carried by anonymous callers when the configuration opens the public catalog to them (`security.anonymous: catalog`). */
export const CATALOG_READ_SCOPE = 'catalog:read';

type Rule = Partial<Record<Role, Access>>;
interface TypePolicy {
  /** Roles that may read every field of the type unless a field rule says otherwise. */
  type: Rule;
  fields?: Record<string, Rule>;
}

const allow = 'allow' as const;
const mask = (kind: MaskKind) => ({ mask: kind });
const CATALOG: Rule = { anonymous: allow, customer: allow, 'frontend-service': allow, bi: allow, partner: allow };
const EVERYONE: Rule = { ...CATALOG };

const POLICY: Record<string, TypePolicy> = {
  Query: {
    type: {},
    fields: {
      user: { customer: allow, 'frontend-service': allow, bi: allow },
      users: { bi: allow },
      order: { customer: allow, partner: allow, bi: allow },
      orders: { customer: allow, partner: allow, bi: allow },
      product: CATALOG,
      products: CATALOG,
      seller: CATALOG,
      dataQuality: { bi: allow },
      // Rows and suppression: read-model/aggregate-scope.ts.
      orderStats: { partner: allow, bi: allow },
      fusionRules: EVERYONE,
      models: { 'frontend-service': allow, bi: allow },
      // Marketing segmentation: sizes and profiles of the whole customer base.
      segments: { bi: allow },
      // Federation's entry point: the router calls it with the client's credential; the entity
      // reference resolvers apply the row scopes (see subgraphs/common/build-subgraph). `_service`
      // (the subgraph's SDL) is for admins: routers here read the composed supergraph file.
      _entities: EVERYONE,
    },
  },
  User: {
    type: { customer: allow, bi: allow },
    fields: {
      id: { customer: allow, 'frontend-service': allow, bi: allow, partner: mask('pseudonym') },
      recommendations: { customer: allow, 'frontend-service': allow, bi: allow },
      segment: { customer: allow, 'frontend-service': allow, bi: allow },
    },
  },
  CustomerAccount: {
    type: { customer: allow, bi: allow },
    fields: {
      zipPrefix: { customer: allow, bi: mask('zip') },
      city: { customer: allow, bi: mask('hidden') },
      location: { customer: allow, bi: mask('hidden') },
      flags: { customer: allow, bi: mask('empty-list') },
      provenance: { customer: allow, bi: mask('raw-values') },
    },
  },
  Order: {
    type: { customer: allow, partner: allow, bi: allow },
    // A partner sees its own lines of an order, never what the customer paid for the whole order.
    fields: {
      ...Object.fromEntries(['payments', 'paymentTotal', 'total', 'flags', 'provenance'].map((field) => [field, { customer: allow, bi: allow }])),
      // Risk control: for the platform and the sellers of the order (row scope: a partner's own orders), not for the buyer.
      anomaly: { partner: allow, bi: allow },
    },
  },
  OrderItem: { type: { customer: allow, partner: allow, bi: allow } },
  Payment: { type: { customer: allow, bi: allow } },
  Review: {
    type: { customer: allow, partner: allow, bi: allow },
    fields: {
      title: { customer: allow, partner: allow, bi: mask('hidden') },
      comment: { customer: allow, partner: allow, bi: mask('hidden') },
      provenance: { customer: allow, partner: allow, bi: mask('raw-values') },
    },
  },
  Product: {
    type: CATALOG,
    fields: {
      reviews: { customer: allow, partner: allow, bi: allow },
      score: { customer: allow, 'frontend-service': allow, bi: allow },
      similar: { anonymous: allow, customer: allow, 'frontend-service': allow, bi: allow },
      boughtTogether: { anonymous: allow, customer: allow, 'frontend-service': allow, bi: allow },
      // Seller-facing: a partner's forecast counts its own lines only (subgraphs/scoring/demand-forecast.type.ts).
      demandForecast: { partner: allow, bi: allow },
    },
  },
  Category: {
    type: CATALOG,
    fields: { demandForecast: { partner: allow, bi: allow } },
  },
  Seller: { type: CATALOG },
  OrderStats: { type: { partner: allow, bi: allow } },
  // A partner's figures cover its own lines only: never what customers paid for whole orders.
  OrderStatsGroup: {
    type: { partner: allow, bi: allow },
    fields: { paymentTotal: { bi: allow }, averageOrderValue: { bi: allow } },
  },
};

/** The types whose fields the policy rules; the others inherit their parent field's decision. */
export const POLICED_TYPES: ReadonlySet<string> = new Set(Object.keys(POLICY));

/** The fields some role sees masked: the schema's PII (and pseudonymised) fields. */
export const PII_FIELDS: ReadonlyMap<string, MaskKind> = new Map(
  Object.entries(POLICY).flatMap(([typeName, policy]) =>
    Object.entries(policy.fields ?? {}).flatMap(([field, rule]) => {
      const masked = Object.values(rule).find((access): access is { mask: MaskKind } => typeof access === 'object');
      return masked ? [[`${typeName}.${field}`, masked.mask] as const] : [];
    }),
  ),
);

/** How each masking shows in the schema: every PII field's description ends with its note. */
export const PII_NOTES: Readonly<Record<MaskKind, string>> = {
  zip: 'PII: shown as its first two digits + "***" to BI without the pii:read scope.',
  hidden: 'PII: null for BI without the pii:read scope.',
  'empty-list': 'PII: empty for BI without the pii:read scope (messages quote raw values).',
  'raw-values': 'PII: rawValue is null for BI without the pii:read scope.',
  pseudonym: 'PII: partners see a pseudonym (HMAC-SHA256 per partner, 32 hex digits).',
};

/** The caller's access to `typeName.fieldName`. */
export function fieldAccess(principal: Principal, typeName: string, fieldName: string): Access {
  const policy = POLICY[typeName];
  if (!policy || principal.role === 'admin') return 'allow';
  if (principal.role === 'anonymous' && !principal.scopes.has(CATALOG_READ_SCOPE)) return 'forbid';
  const access = (policy.fields?.[fieldName] ?? policy.type)[principal.role] ?? 'forbid';
  if (typeof access === 'object' && access.mask !== 'pseudonym' && principal.scopes.has(PII_READ_SCOPE) && principal.role === 'bi') return 'allow';
  return access;
}

/** The smallest valid `sources` section of a FUSION_CONFIG file (embedded kinds, relative paths), for config tests. */
export const SQLITE_SOURCES = {
  crm: { kind: 'prisma', provider: 'sqlite', url: 'crm.db' },
  catalog: { kind: 'prisma', provider: 'sqlite', url: 'catalog.db' },
  orders: { kind: 'prisma', provider: 'sqlite', url: 'orders.db' },
  reviews: { kind: 'jsonl', file: 'reviews/reviews.jsonl' },
  geography: { kind: 'csv', file: 'geography/geolocation.csv' },
} as const;

/**
 * subgraphs: one folder per domain (users, products, orders; quality for the reconciliation report;
 * scoring for the model-backed fields),
 * each a Federation 2 subgraph written
 * with type-graphql: `<entity>.type.ts`, `<entity>.resolver.ts`, `<entity>.reference.ts`, `index.ts`.
 * A domain never imports another: it extends another domain's entity through a key-only stub.
 */
import type { SubgraphDefinition } from './common';
import { buildOrdersSubgraph } from './orders';
import { buildProductsSubgraph } from './products';
import { buildQualitySubgraph } from './quality';
import { buildScoringSubgraph } from './scoring';
import { buildUsersSubgraph } from './users';

export * from './common';

export const SUBGRAPH_NAMES = ['users', 'products', 'orders', 'quality', 'scoring'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const BUILDERS: Record<SubgraphName, () => Promise<SubgraphDefinition>> = {
  users: buildUsersSubgraph,
  products: buildProductsSubgraph,
  orders: buildOrdersSubgraph,
  quality: buildQualitySubgraph,
  scoring: buildScoringSubgraph,
};

export function buildSubgraph(name: SubgraphName): Promise<SubgraphDefinition> {
  return BUILDERS[name]();
}

export async function buildAllSubgraphs(): Promise<SubgraphDefinition[]> {
  const subgraphs: SubgraphDefinition[] = [];
  // Sequential: type-graphql's schema builder keeps global state while it runs.
  for (const name of SUBGRAPH_NAMES) subgraphs.push(await buildSubgraph(name));
  return subgraphs;
}

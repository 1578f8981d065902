import { keyDataOf, OrderStatsEngine } from '../fusion';
import type { ScoringService } from '../scoring';
import type { Sources } from '../sources';
import { DEFAULT_MIN_GROUP_PERSONS } from '../config/security-config';
import { createReadModel, scopeScoring } from '../read-model';
import { ANONYMOUS } from '../security';
import type { SubgraphContext } from '../subgraphs';
import type { HttpExchange } from './http/http-plugin';

export type RequestContextFactory = (exchange: Pick<HttpExchange, 'principal' | 'requestId'>) => SubgraphContext;

/**
 * Loads process-wide reference data once (shared per sources: fusion/key-data.ts), then hands out a fresh context for every request: a read
 * model of the caller's own (fresh DataLoaders: per-request memos, never shared between users).
 */
export async function createRequestContextFactory(
  sources: Sources,
  scoring?: ScoringService | null,
  options: { minGroupPersons?: number } = {},
): Promise<RequestContextFactory> {
  const { categories, maps, crossKeys } = await keyDataOf(sources);
  const orderStats = {
    engine: new OrderStatsEngine(sources, maps),
    minGroupPersons: options.minGroupPersons ?? DEFAULT_MIN_GROUP_PERSONS,
  };
  return (exchange) => {
    const principal = exchange.principal ?? ANONYMOUS;
    return {
      data: createReadModel({ sources, categories, crossKeys, orderStats, principal }),
      ...(scoring ? { scoring: scopeScoring(scoring.createLoaders(), principal) } : {}),
      principal,
      requestId: exchange.requestId,
    };
  };
}

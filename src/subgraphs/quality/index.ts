/**
 * subgraphs/quality: the fusion layer's own account — the reconciliation report over every source
 * row (Query.dataQuality) and the list of rules and policies (Query.fusionRules). Reads every source.
 */
import { buildFederatedSubgraph, type SubgraphDefinition } from '../common';
import { DataQualityResolver } from './data-quality.resolver';

export function buildQualitySubgraph(): Promise<SubgraphDefinition> {
  return buildFederatedSubgraph('quality', [DataQualityResolver], {});
}

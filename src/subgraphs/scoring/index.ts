/**
 * subgraphs/scoring: the model-backed fields — User.recommendations/segment, Product.score/similar/boughtTogether,
 * Order.deliveryRisk/anomaly, Query.models/segments — over the scoring module (src/scoring). Extends the other
 * domains' entities by key only, so a federated deployment can run this subgraph alone on GPU nodes.
 */
import { buildFederatedSubgraph, type SubgraphDefinition } from '../common';
import { OrderAnomalyResolver } from './anomaly.type';
import { OrderReference, ProductReference, UserReference } from './references.stub';
import { SegmentsResolver, UserSegmentResolver } from './segment.type';
import {
  ModelsResolver,
  OrderScoringResolver,
  ProductScoringResolver,
  RecommendationResolver,
  RiskResolver,
  ScoreResolver,
  UserScoringResolver,
} from './scoring.resolver';

const passThroughReference = {
  async __resolveReference(reference: { id: string }) {
    return { id: reference.id };
  },
};

export function buildScoringSubgraph(): Promise<SubgraphDefinition> {
  return buildFederatedSubgraph(
    'scoring',
    [
      ModelsResolver,
      UserScoringResolver,
      ProductScoringResolver,
      OrderScoringResolver,
      RecommendationResolver,
      ScoreResolver,
      RiskResolver,
      UserSegmentResolver,
      SegmentsResolver,
      OrderAnomalyResolver,
    ],
    { User: passThroughReference, Product: passThroughReference, Order: passThroughReference },
    // Only Query.models reaches a type from the root; the entities this subgraph extends must be listed.
    [UserReference, ProductReference, OrderReference],
  );
}

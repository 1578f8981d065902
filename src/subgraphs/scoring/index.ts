/**
 * subgraphs/scoring: the model-backed fields — User.recommendations/segment, Product.score/similar/boughtTogether,
 * Product/Category.demandForecast (demand-forecast.type.ts), Order.deliveryRisk/anomaly, Query.models/segments —
 * over the scoring module (src/scoring). Extends the other
 * domains' entities by key only, so a federated deployment can run this subgraph alone on GPU nodes.
 */
import { buildFederatedSubgraph, keyReference, type SubgraphDefinition } from '../common';
import { OrderAnomalyResolver } from './anomaly.type';
import { CategoryForecastResolver, ProductForecastResolver } from './demand-forecast.type';
import { CategoryReference, OrderReference, ProductReference, UserReference } from './references.stub';
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
      ProductForecastResolver,
      CategoryForecastResolver,
      UserSegmentResolver,
      SegmentsResolver,
      OrderAnomalyResolver,
    ],
    { User: keyReference('User'), Product: keyReference('Product'), Order: keyReference('Order') },
    // Only Query.models reaches a type from the root; the entities this subgraph extends must be listed.
    [UserReference, ProductReference, OrderReference, CategoryReference],
  );
}

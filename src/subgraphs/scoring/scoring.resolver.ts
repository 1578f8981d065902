import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { RecommendationResult } from '../../scoring';
import { assertOlistId, badUserInput, pageSize } from '../../shared';
import type { SubgraphContext } from '../common';
import { BoughtTogether, BoughtTogetherBasis } from './bought-together.type';
import { OrderReference, ProductReference, UserReference } from './references.stub';
import { scoring } from './scoring-context';
import { ModelInfo, Reason, Recommendation, Risk, RiskLevel, Score } from './scoring.types';

/** Recommendations and similar products: `first` 0..100, default 10. */
const scoredListSize = (first: number | null) => pageSize(first, { defaultSize: 10 });

function toRecommendation(result: RecommendationResult): Recommendation {
  return { product: { id: result.productId }, score: result.score, modelVersion: result.modelVersion, reasons: result.reasons, explain: result.explain };
}

@Resolver(() => UserReference)
export class UserScoringResolver {
  @FieldResolver(() => [Recommendation], {
    nullable: true,
    description: 'Products the person is likely to buy next, best first (null with MODEL_UNAVAILABLE when the model cannot answer)',
  })
  async recommendations(
    @Root() user: UserReference,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null,
    @Arg('category', () => String, { nullable: true, description: 'Catalog category (Portuguese or English name)' }) category: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Recommendation[]> {
    const count = scoredListSize(first);
    if (category !== null && category !== undefined && category.trim() === '') throw badUserInput('"category" must not be empty', 'category');
    const results = await scoring(ctx).recommendations.load({ personId: user.id, first: count, category: category?.trim() ?? null });
    return results.map(toRecommendation);
  }
}

@Resolver(() => ProductReference)
export class ProductScoringResolver {
  @FieldResolver(() => Score, { nullable: true, description: "The recommendation model's score of this product for a person (null for unknown ids)" })
  async score(@Root() product: ProductReference, @Arg('userId', () => ID) userId: string, @Ctx() ctx: SubgraphContext): Promise<Score | null> {
    const personId = ctx.data.personToScore(assertOlistId(userId, 'userId'));
    return scoring(ctx).score.load({ personId, productId: product.id });
  }

  @FieldResolver(() => [Recommendation], { nullable: true, description: 'Products like this one, most similar first' })
  async similar(
    @Root() product: ProductReference,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Recommendation[]> {
    const count = scoredListSize(first);
    return (await scoring(ctx).similar.load({ productId: product.id, first: count })).map(toRecommendation);
  }

  @FieldResolver(() => [BoughtTogether], {
    nullable: true,
    description:
      'Products bought with this one (same order, then same person in other orders, then category best-sellers as the fallback), strongest rule first; [] for unknown ids',
  })
  async boughtTogether(
    @Root() product: ProductReference,
    @Arg('first', () => Int, { nullable: true, defaultValue: 5, description: '1..50' }) first: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BoughtTogether[]> {
    const count = pageSize(first, { defaultSize: 5, min: 1, max: 50 });
    const items = await scoring(ctx).boughtTogether.load({ productId: product.id, first: count });
    return items.map(({ productId, basis, ...figures }) => ({ product: { id: productId }, basis: basis as BoughtTogetherBasis, ...figures }));
  }
}

@Resolver(() => OrderReference)
export class OrderScoringResolver {
  @FieldResolver(() => Risk, { nullable: true, description: 'Risk that the order arrives after its estimated date, as predicted at purchase' })
  async deliveryRisk(@Root() order: OrderReference, @Ctx() ctx: SubgraphContext): Promise<Risk | null> {
    const risk = await scoring(ctx).deliveryRisk.load(order.id);
    return risk ? { ...risk, level: risk.level as RiskLevel } : null;
  }
}

const REASONS = {
  description:
    'The features that moved the score most, in words: what raised it (recommendations, MEDIUM and HIGH risk) or, for a LOW risk, what lowered it. The same reasons as `explanation`, without their effects',
};
const EXPLANATION = { description: 'The reasons with their effects (signed: positive raised the score, negative lowered it), largest first' };

const texts = (reasons: readonly Reason[]): string[] => reasons.map((reason) => reason.text);

async function recommendationReasons(recommendation: Recommendation, ctx: SubgraphContext): Promise<Reason[]> {
  if (recommendation.reasons) return recommendation.reasons;
  if (!recommendation.explain) return [];
  return scoring(ctx).explain.load(recommendation.explain);
}

@Resolver(() => Recommendation)
export class RecommendationResolver {
  @FieldResolver(() => [String], REASONS)
  async reasons(@Root() recommendation: Recommendation, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return texts(await recommendationReasons(recommendation, ctx));
  }

  @FieldResolver(() => [Reason], EXPLANATION)
  async explanation(@Root() recommendation: Recommendation, @Ctx() ctx: SubgraphContext): Promise<Reason[]> {
    return recommendationReasons(recommendation, ctx);
  }
}

@Resolver(() => Score)
export class ScoreResolver {
  @FieldResolver(() => [String], REASONS)
  async reasons(@Root() score: Score, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return texts(await scoring(ctx).explain.load(score.explain));
  }

  @FieldResolver(() => [Reason], EXPLANATION)
  async explanation(@Root() score: Score, @Ctx() ctx: SubgraphContext): Promise<Reason[]> {
    return scoring(ctx).explain.load(score.explain);
  }
}

@Resolver(() => Risk)
export class RiskResolver {
  @FieldResolver(() => [String], REASONS)
  async reasons(@Root() risk: Risk, @Ctx() ctx: SubgraphContext): Promise<string[]> {
    return texts(await scoring(ctx).explain.load(risk.explain));
  }

  @FieldResolver(() => [Reason], EXPLANATION)
  async explanation(@Root() risk: Risk, @Ctx() ctx: SubgraphContext): Promise<Reason[]> {
    return scoring(ctx).explain.load(risk.explain);
  }
}

@Resolver()
export class ModelsResolver {
  @Query(() => [ModelInfo], { description: 'The models this process serves (or cannot), with their execution provider' })
  models(@Ctx() ctx: SubgraphContext): ModelInfo[] {
    return ctx.scoring ? ctx.scoring.modelInfos() : [];
  }
}

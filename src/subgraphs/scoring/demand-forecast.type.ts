/**
 * Category.demandForecast and Product.demandForecast: expected orders per week with an 80 % interval
 * (src/scoring/forecast), for series with enough recent orders; otherwise `weeks` is null and
 * `reason` says why. A partner's forecasts count only its own lines (and a product it never sold is
 * null, as if it did not exist); the policy (src/security/policy.ts) decides who may read the field.
 */
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { MAX_HORIZON, type ForecastKind } from '../../scoring';
import { badUserInput } from '../../shared';
import type { SubgraphContext } from '../common';
import { CategoryReference, ProductReference } from './references.stub';
import { scoring } from './scoring-context';

@ObjectType({ description: 'Orders in one past week' })
export class WeeklyOrders {
  @Field({ description: 'Monday of the week (local date, YYYY-MM-DD)' })
  weekStart!: string;

  @Field(() => Int, { description: 'Orders (bought, not canceled or unavailable) placed that week holding the product / a product of the category' })
  orders!: number;
}

@ObjectType({ description: 'The forecast of one week' })
export class ForecastWeek {
  @Field({ description: 'Monday of the week (local date, YYYY-MM-DD)' })
  weekStart!: string;

  @Field(() => Float, { description: "The model's expected orders (mean)" })
  expected!: number;

  @Field(() => Int, { description: 'The point forecast in whole orders: the calibrated median (what the backtest scores)' })
  median!: number;

  @Field(() => Float, { description: 'Lower end of the interval (see DemandForecast.intervalLevel)' })
  low!: number;

  @Field(() => Float, { description: 'Upper end of the interval' })
  high!: number;
}

@ObjectType({ description: 'Weekly demand forecast of a product or category, from the orders before the scoring as-of time' })
export class DemandForecast {
  @Field({ description: 'Monday of the first forecast week: the week holding the as-of time (its own orders are not history)' })
  origin!: string;

  @Field(() => [WeeklyOrders], { description: 'The 13 complete weeks before the origin, oldest first' })
  history!: WeeklyOrders[];

  @Field(() => Int, { description: 'Orders in the 13 weeks before the origin' })
  recentOrders!: number;

  @Field(() => [ForecastWeek], { nullable: true, description: 'One entry per week from the origin; null when there is too little history (see reason)' })
  weeks!: ForecastWeek[] | null;

  @Field(() => String, { nullable: true, description: 'Why there is no forecast (null when there is one)' })
  reason!: string | null;

  @Field(() => Float, { description: 'Share of weeks the interval should hold (0.8: calibrated on backtest validation weeks)' })
  intervalLevel!: number;

  @Field(() => Boolean, { description: "True when only the calling partner's own order lines were counted" })
  sellerScoped!: boolean;

  @Field({ description: 'The model that forecast, "<name>/<version>"' })
  modelVersion!: string;
}

const WEEKS = { nullable: true, defaultValue: 4, description: `Weeks ahead, 1..${MAX_HORIZON}` };

/** `weeks` 1..MAX_HORIZON (default 4); anything else is BAD_USER_INPUT. */
function forecastWeeks(weeks: number | null): number {
  if (weeks === null || weeks === undefined) return 4;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_HORIZON) throw badUserInput(`"weeks" must be between 1 and ${MAX_HORIZON}, got ${weeks}`, 'weeks');
  return weeks;
}

async function forecast(ctx: SubgraphContext, kind: ForecastKind, id: string, weeks: number | null): Promise<DemandForecast | null> {
  const count = forecastWeeks(weeks);
  // A partner's series count its own lines only (read-model/scoring-reads.ts); a product it never sold does not exist for it.
  const answer = await scoring(ctx).demandForecast({ kind, id, weeks: count });
  return answer.sellerScoped && kind === 'PRODUCT' && !answer.known ? null : answer;
}

const DESCRIPTION = (what: string) =>
  `Expected orders per week of ${what}, with an interval, for the next \`weeks\` weeks from the scoring as-of time; ` +
  'no weeks (and a reason) with fewer than 6 orders in the last 13 weeks. Partners: their own order lines only';

@Resolver(() => ProductReference)
export class ProductForecastResolver {
  @FieldResolver(() => DemandForecast, { nullable: true, description: `${DESCRIPTION('this product')}; null for a product the partner never sold` })
  async demandForecast(
    @Root() product: ProductReference,
    @Arg('weeks', () => Int, WEEKS) weeks: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DemandForecast | null> {
    return forecast(ctx, 'PRODUCT', product.id, weeks);
  }
}

@Resolver(() => CategoryReference)
export class CategoryForecastResolver {
  @FieldResolver(() => DemandForecast, { nullable: true, description: `${DESCRIPTION('orders holding a product of this category')}` })
  async demandForecast(
    @Root() category: CategoryReference,
    @Arg('weeks', () => Int, WEEKS) weeks: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DemandForecast | null> {
    return forecast(ctx, 'CATEGORY', category.name, weeks);
  }
}

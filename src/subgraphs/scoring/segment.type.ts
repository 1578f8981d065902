/** User.segment and Query.segments: RFM scores and behaviour segments as of the scoring as-of time (src/scoring/segments). */
import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { UserSegment } from '../../scoring';
import type { SubgraphContext } from '../common';
import { UserReference } from './references.stub';
import { scoring } from './scoring-context';

@ObjectType({ description: 'RFM scores 1..5 against the quintiles of every person known at the as-of time (5: most recent, most orders, most spend)' })
export class Rfm {
  @Field(() => Int, { description: '5 − the recency quintile cut points the days since the latest order exceed' })
  recency!: number;

  @Field(() => Int, { description: '1 + the order-count quintile cut points exceeded (one order: 1; any repeat buyer: 5 on Olist)' })
  frequency!: number;

  @Field(() => Int, { description: '1 + the spend quintile cut points exceeded' })
  monetary!: number;

  @Field({ description: 'e.g. "R5F1M3"' })
  code!: string;
}

@ObjectType('UserSegment', { description: "A person's customer segment as of the scoring as-of time" })
export class UserSegmentView {
  @Field(() => Int, { description: 'The segment (Query.segments)' })
  id!: number;

  @Field({ description: "The segment's name, from its centroid's most distinctive traits" })
  name!: string;

  @Field(() => Rfm)
  rfm!: Rfm;

  @Field(() => Float, { description: 'Days from the latest bought order to the as-of time' })
  recencyDays!: number;

  @Field(() => Int, { description: 'Bought orders before the as-of time' })
  orders!: number;

  @Field(() => Float, { description: 'Paid for those orders, BRL' })
  spend!: number;

  @Field({ description: 'The segments model, "<name>/<version>"' })
  modelVersion!: string;

  @Field({ description: 'As of (local time, "YYYY-MM-DD HH:MM:SS"): orders before it count' })
  asOf!: string;
}

@ObjectType({ description: "Mean RFM scores of a segment's persons" })
export class MeanRfm {
  @Field(() => Float)
  recency!: number;

  @Field(() => Float)
  frequency!: number;

  @Field(() => Float)
  monetary!: number;
}

@ObjectType({ description: 'A customer segment: its size and the profile of its persons, as of the scoring as-of time' })
export class Segment {
  @Field(() => Int)
  id!: number;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Persons with a bought order before the as-of time in this segment' })
  persons!: number;

  @Field(() => Float, { description: 'persons / all persons with a bought order' })
  share!: number;

  @Field(() => Float)
  meanRecencyDays!: number;

  @Field(() => Float)
  meanOrders!: number;

  @Field(() => Float, { description: 'Share with two or more orders' })
  repeatBuyerShare!: number;

  @Field(() => Float, { description: 'BRL' })
  meanSpend!: number;

  @Field(() => Float)
  meanInstallments!: number;

  @Field(() => Float, { description: 'Mean share of the amount paid by boleto' })
  boletoShare!: number;

  @Field(() => Float, { description: 'Mean share of the amount paid by voucher' })
  voucherShare!: number;

  @Field(() => Float, { description: 'Mean freight over price + freight' })
  freightShare!: number;

  @Field(() => Float, { description: 'Mean distinct categories bought' })
  meanCategories!: number;

  @Field(() => MeanRfm)
  meanRfm!: MeanRfm;

  @Field()
  modelVersion!: string;

  @Field()
  asOf!: string;
}

function toView(s: UserSegment): UserSegmentView {
  return {
    id: s.segmentId,
    name: s.segmentName,
    rfm: s.rfm,
    recencyDays: s.behaviour.recencyDays,
    orders: s.behaviour.orders,
    spend: s.behaviour.spend,
    modelVersion: s.modelVersion,
    asOf: s.asOf,
  };
}

@Resolver(() => UserReference)
export class UserSegmentResolver {
  @FieldResolver(() => UserSegmentView, {
    nullable: true,
    description: "The person's customer segment and RFM scores as of the scoring as-of time (null when the person bought nothing before it)",
  })
  async segment(@Root() user: UserReference, @Ctx() ctx: SubgraphContext): Promise<UserSegmentView | null> {
    const segment = await scoring(ctx).segment.load(user.id);
    return segment ? toView(segment) : null;
  }
}

@Resolver()
export class SegmentsResolver {
  @Query(() => [Segment], { nullable: true, description: 'The customer segments with their sizes and profiles as of the scoring as-of time, largest first' })
  async segments(@Ctx() ctx: SubgraphContext): Promise<Segment[]> {
    const index = await scoring(ctx).segments();
    return index.profiles.map((p) => ({ ...p, modelVersion: index.modelVersion, asOf: index.asOfText }));
  }
}

/** Order.anomaly: how unusual an order's payments, freight, instalments, dates and status are (src/scoring/anomalies). */
import { Ctx, Field, FieldResolver, Float, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../common';
import { OrderReference } from './references.stub';
import { scoring } from './scoring-context';
import { Reason } from './scoring.types';

export enum AnomalyLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

registerEnumType(AnomalyLevel, {
  name: 'AnomalyLevel',
  description: "MEDIUM from the 99th percentile of the training orders' scores, HIGH from the 99.9th, LOW below",
});

@ObjectType({ description: 'How unusual an order is (isolation forest over its payments, freight, instalments, dates and status)' })
export class Anomaly {
  @Field(() => Float, { description: 'Isolation-forest score in (0, 1]: about 0.3–0.4 for ordinary orders, above 0.6 for the rarest' })
  score!: number;

  @Field(() => AnomalyLevel)
  level!: AnomalyLevel;

  @Field(() => [String], { description: 'What made the order unusual, in words (the texts of `explanation`)' })
  reasons!: string[];

  @Field(() => [Reason], {
    description:
      'The reasons with their effects: the score minus the score with that feature at its usual (median) value; positive raised it. Largest first, at most 3',
  })
  explanation!: Reason[];

  @Field()
  modelVersion!: string;
}

@Resolver(() => OrderReference)
export class OrderAnomalyResolver {
  @FieldResolver(() => Anomaly, { nullable: true, description: 'How unusual the order is, with why (null for unknown orders)' })
  async anomaly(@Root() order: OrderReference, @Ctx() ctx: SubgraphContext): Promise<Anomaly | null> {
    const result = await scoring(ctx).anomaly.load(order.id);
    if (!result) return null;
    return { ...result, level: result.level as AnomalyLevel, reasons: result.reasons.map((r) => r.text), explanation: result.reasons };
  }
}

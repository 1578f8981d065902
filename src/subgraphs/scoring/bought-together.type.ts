import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ProductReference } from './references.stub';

/** Which baskets a bought-together rule was mined from (src/scoring/bought-together). */
export enum BoughtTogetherBasis {
  ORDER = 'ORDER',
  PERSON = 'PERSON',
  CATEGORY = 'CATEGORY',
}

registerEnumType(BoughtTogetherBasis, {
  name: 'BoughtTogetherBasis',
  description: 'The baskets behind a bought-together rule',
  valuesConfig: {
    ORDER: { description: 'Both products in one order' },
    PERSON: { description: 'Both products bought by one person, in different orders' },
    CATEGORY: {
      description:
        "Fallback: a best-seller of a category that persons who bought in this product's category also bought in; the figures are the category rule's",
    },
  },
});

@ObjectType({
  description: 'A product bought together with another, with the association rule that links them, mined from purchases before the scoring as-of time',
})
export class BoughtTogether {
  @Field(() => ProductReference)
  product!: ProductReference;

  @Field(() => BoughtTogetherBasis)
  basis!: BoughtTogetherBasis;

  @Field(() => Int, { description: 'Baskets (orders, or persons) holding both sides of the rule (at least 2; category rules at least 10)' })
  support!: number;

  @Field(() => Float, { description: 'support / all baskets of that basis' })
  supportShare!: number;

  @Field(() => Float, { description: 'P(this product | the other): support / baskets holding the other' })
  confidence!: number;

  @Field(() => Float, { description: 'confidence / P(this product): above 1, bought together more often than by chance' })
  lift!: number;
}

import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Entities owned by other subgraphs, as the scoring subgraph sees them: the key only. Scoring adds
 * User.recommendations, Product.score/similar/boughtTogether/demandForecast, Order.deliveryRisk and
 * Category.demandForecast to them.
 */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Product')
@Directive('@key(fields: "id")')
export class ProductReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Order')
@Directive('@key(fields: "id")')
export class OrderReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Category')
@Directive('@key(fields: "name")')
export class CategoryReference {
  @Field({ description: "The catalog's own (Portuguese) name" })
  name!: string;
}

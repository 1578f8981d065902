import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Entities owned by other subgraphs, as this one sees them: the key only. This subgraph adds
 * the fields it can compute from orders (User.orders, Product.sellers, Seller.products, ...).
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

@ObjectType('Seller')
@Directive('@key(fields: "id")')
export class SellerReference {
  @Field(() => ID)
  id!: string;
}

import { Field, Float, InputType } from 'type-graphql';
import { SortDirection } from './sort-direction.enum';

/** Query.products / Seller.products: rating predicates (the rating joins reviews and order lines: fusion/cross-filter). */
@InputType('ProductsFilter', { description: 'Every given predicate must hold (AND)' })
export class ProductsFilter {
  @Field(() => Float, { nullable: true, description: 'averageRating at least this (1..5); products without a rating never pass' })
  minAverageRating?: number | null;

  @Field(() => Float, { nullable: true, description: 'averageRating at most this (1..5)' })
  maxAverageRating?: number | null;
}

@InputType('ProductsOrderBy', { description: 'Exactly one sort key. Ties are broken by the product id (ascending); products without a rating come last' })
export class ProductsOrderBy {
  @Field(() => SortDirection, { nullable: true })
  id?: SortDirection | null;

  @Field(() => SortDirection, { nullable: true })
  averageRating?: SortDirection | null;
}

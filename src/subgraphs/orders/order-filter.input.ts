import { Field, Float, InputType } from 'type-graphql';
import { SortDirection } from '../common';

/** Query.orders / User.orders: predicates other systems own (fusion/cross-filter resolves each to a key set). */
@InputType('OrdersFilter', { description: 'Every given predicate must hold (AND); docs/analytics.md states the plan of each' })
export class OrdersFilter {
  @Field(() => String, { nullable: true, description: "The customer account's state code (the CRM's, cleaned: CustomerAccount.state)" })
  customerState?: string | null;

  @Field(() => String, { nullable: true, description: 'The order has a line of a product of this category (catalog name or English name)' })
  category?: string | null;

  @Field(() => Float, { nullable: true, description: "The mean score of the order's reviews is at least this (1..5); orders without a review never pass" })
  minReviewScore?: number | null;

  @Field(() => Float, { nullable: true, description: "The mean score of the order's reviews is at most this (1..5)" })
  maxReviewScore?: number | null;
}

@InputType('OrdersOrderBy', { description: 'Sort key of an order listing; ties are broken by the order id in the same direction' })
export class OrdersOrderBy {
  @Field(() => SortDirection, { nullable: true, description: 'By purchase time (the default, ascending)' })
  purchasedAt?: SortDirection | null;
}

import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { OrderStatus } from './order-status.enum';

@ObjectType({ description: 'One group of orders: the values it was grouped by (null for dimensions not grouped by) and its measures' })
export class OrderStatsGroup {
  @Field(() => String, { nullable: true, description: 'Local purchase date, YYYY-MM-DD' })
  purchaseDay!: string | null;

  @Field(() => String, { nullable: true, description: 'The Monday of the purchase week, YYYY-MM-DD' })
  purchaseWeek!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  purchaseMonth!: string | null;

  @Field(() => OrderStatus, { nullable: true })
  orderStatus!: OrderStatus | null;

  @Field(() => String, { nullable: true, description: "The customer account's cleaned state (CustomerAccount.state)" })
  customerState!: string | null;

  @Field(() => String, { nullable: true, description: "The seller's cleaned state (Seller.state)" })
  sellerState!: string | null;

  @Field(() => String, { nullable: true, description: 'Category.nameEn of the lines’ products' })
  productCategory!: string | null;

  @Field(() => String, { nullable: true, description: 'Category.name (Portuguese) of the lines’ products' })
  productCategoryPt!: string | null;

  @Field(() => String, { nullable: true, description: 'Payment.type' })
  paymentType!: string | null;

  @Field(() => ID, { nullable: true })
  sellerId!: string | null;

  @Field(() => Int, { description: 'Distinct orders in the group' })
  orderCount!: number;

  @Field(() => Int, { description: 'Distinct persons (User ids) who placed them' })
  distinctPersons!: number;

  @Field(() => Float, { description: "Sum of the group's item prices, BRL" })
  itemsTotal!: number;

  @Field(() => Float, { description: "Sum of the group's item freight, BRL" })
  freightTotal!: number;

  @Field(() => Float, { nullable: true, description: "Sum of the group's orders' payments (only the grouped/filtered payment types), BRL" })
  paymentTotal!: number | null;

  @Field(() => Float, { nullable: true, description: 'paymentTotal / orderCount, BRL' })
  averageOrderValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Delivered orders delivered after their estimated date / delivered orders (null: none delivered)' })
  lateDeliveryShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean calendar days from local purchase date to local delivery date, over delivered orders' })
  meanDeliveryDays!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean score of the group's orders' reviews (null: none)" })
  meanReviewScore!: number | null;
}

@ObjectType({ description: 'Grouped order statistics: one page of groups, sorted' })
export class OrderStats {
  @Field(() => [OrderStatsGroup])
  groups!: OrderStatsGroup[];

  @Field(() => Int, { description: 'Groups shown across all pages (suppressed groups excluded)' })
  totalGroups!: number;

  @Field(() => Int, { description: 'Groups left out because they hold fewer distinct persons than minGroupPersons' })
  suppressedGroups!: number;

  @Field(() => Int, { description: 'The smallest number of distinct persons a shown group has for this caller (1 for admins)' })
  minGroupPersons!: number;
}

import { Field, InputType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, SortDirection } from '../common';
import { OrderStatus } from './order-status.enum';

/** The dimensions of Query.orderStats (values: docs/analytics.md). */
export enum OrderStatsDimension {
  PURCHASE_DAY = 'PURCHASE_DAY',
  PURCHASE_WEEK = 'PURCHASE_WEEK',
  PURCHASE_MONTH = 'PURCHASE_MONTH',
  ORDER_STATUS = 'ORDER_STATUS',
  CUSTOMER_STATE = 'CUSTOMER_STATE',
  SELLER_STATE = 'SELLER_STATE',
  PRODUCT_CATEGORY = 'PRODUCT_CATEGORY',
  PRODUCT_CATEGORY_PT = 'PRODUCT_CATEGORY_PT',
  PAYMENT_TYPE = 'PAYMENT_TYPE',
  SELLER = 'SELLER',
}

/** What groups can be sorted by: a measure, or a dimension's value (it must be grouped by). */
export enum OrderStatsSortKey {
  ORDER_COUNT = 'ORDER_COUNT',
  DISTINCT_PERSONS = 'DISTINCT_PERSONS',
  ITEMS_TOTAL = 'ITEMS_TOTAL',
  FREIGHT_TOTAL = 'FREIGHT_TOTAL',
  PAYMENT_TOTAL = 'PAYMENT_TOTAL',
  AVERAGE_ORDER_VALUE = 'AVERAGE_ORDER_VALUE',
  LATE_DELIVERY_SHARE = 'LATE_DELIVERY_SHARE',
  MEAN_DELIVERY_DAYS = 'MEAN_DELIVERY_DAYS',
  MEAN_REVIEW_SCORE = 'MEAN_REVIEW_SCORE',
  PURCHASE_DAY = 'PURCHASE_DAY',
  PURCHASE_WEEK = 'PURCHASE_WEEK',
  PURCHASE_MONTH = 'PURCHASE_MONTH',
  ORDER_STATUS = 'ORDER_STATUS',
  CUSTOMER_STATE = 'CUSTOMER_STATE',
  SELLER_STATE = 'SELLER_STATE',
  PRODUCT_CATEGORY = 'PRODUCT_CATEGORY',
  PRODUCT_CATEGORY_PT = 'PRODUCT_CATEGORY_PT',
  PAYMENT_TYPE = 'PAYMENT_TYPE',
  SELLER = 'SELLER',
}

registerEnumType(OrderStatsDimension, { name: 'OrderStatsDimension', description: 'What order statistics can be grouped and filtered by' });
registerEnumType(OrderStatsSortKey, { name: 'OrderStatsSortKey', description: 'A measure, or a grouped dimension, to sort groups by' });

@InputType({ description: 'Each list keeps the groups whose value is one of its entries; all lists must hold (AND)' })
export class OrderStatsFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Purchased at or after (inclusive)' })
  purchasedFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Purchased at or before (inclusive)' })
  purchasedTo?: Date | null;

  @Field(() => [String], { nullable: true, description: 'Local purchase dates, YYYY-MM-DD' })
  purchaseDays?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Weeks by their Monday, YYYY-MM-DD' })
  purchaseWeeks?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Months, YYYY-MM' })
  purchaseMonths?: string[] | null;

  @Field(() => [OrderStatus], { nullable: true })
  statuses?: OrderStatus[] | null;

  @Field(() => [String], { nullable: true, description: "Customers' states (codes)" })
  customerStates?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Sellers' states (codes): only those sellers' lines" })
  sellerStates?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'English category names: only lines of those products' })
  productCategories?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The catalog's (Portuguese) category names: only lines of those products" })
  productCategoriesPt?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'credit_card, boleto, voucher, debit_card, not_defined: only those payments' })
  paymentTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Seller ids: only those sellers’ lines' })
  sellerIds?: string[] | null;
}

@InputType()
export class OrderStatsOrder {
  @Field(() => OrderStatsSortKey)
  by!: OrderStatsSortKey;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Arg, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import { instantToLocalTimestamp, PAYMENT_TYPES, type OrderStatsDimensionName, type OrderStatsGroupTotals, type OrderStatsRequest } from '../../fusion';
import { assertOlistId, badUserInput, ORDER_STATS_DEFAULT_FIRST, ORDER_STATS_MAX_FIRST, pageSize } from '../../shared';
import { SortDirection, stateCodeArgument, type SubgraphContext } from '../common';
import { OrderStatsDimension, OrderStatsFilter, OrderStatsOrder, OrderStatsSortKey } from './order-stats.input';
import { OrderStats, OrderStatsGroup } from './order-stats.type';
import { OrderStatus } from './order-status.enum';

const GROUP_FIELD: Record<OrderStatsDimension, keyof OrderStatsGroup> = {
  PURCHASE_DAY: 'purchaseDay',
  PURCHASE_WEEK: 'purchaseWeek',
  PURCHASE_MONTH: 'purchaseMonth',
  ORDER_STATUS: 'orderStatus',
  CUSTOMER_STATE: 'customerState',
  SELLER_STATE: 'sellerState',
  PRODUCT_CATEGORY: 'productCategory',
  PRODUCT_CATEGORY_PT: 'productCategoryPt',
  PAYMENT_TYPE: 'paymentType',
  SELLER: 'sellerId',
};

const MEASURE_FIELD: Partial<Record<OrderStatsSortKey, keyof OrderStatsGroup>> = {
  ORDER_COUNT: 'orderCount',
  DISTINCT_PERSONS: 'distinctPersons',
  ITEMS_TOTAL: 'itemsTotal',
  FREIGHT_TOTAL: 'freightTotal',
  PAYMENT_TOTAL: 'paymentTotal',
  AVERAGE_ORDER_VALUE: 'averageOrderValue',
  LATE_DELIVERY_SHARE: 'lateDeliveryShare',
  MEAN_DELIVERY_DAYS: 'meanDeliveryDays',
  MEAN_REVIEW_SCORE: 'meanReviewScore',
};

@Resolver(() => OrderStats)
export class OrderStatsResolver {
  @Query(() => OrderStats, {
    nullable: true,
    description:
      'Orders grouped by dimensions with their measures (docs/analytics.md). Groups with fewer distinct persons ' +
      'than the configured minimum are suppressed for non-admins; partners see their own order lines only.',
  })
  async orderStats(
    @Arg('groupBy', () => [OrderStatsDimension]) groupBy: OrderStatsDimension[],
    @Arg('filter', () => OrderStatsFilter, { nullable: true }) filter: OrderStatsFilter | null,
    @Arg('orderBy', () => [OrderStatsOrder], { nullable: true, description: 'Default: the grouped dimensions, ascending' }) orderBy: OrderStatsOrder[] | null,
    @Arg('first', () => Int, { nullable: true, description: `Groups per page, 0..${ORDER_STATS_MAX_FIRST} (default ${ORDER_STATS_DEFAULT_FIRST})` })
    first: number | null,
    @Arg('offset', () => Int, { nullable: true, description: 'Groups to skip (default 0)' }) offset: number | null,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrderStats> {
    const limit = pageSize(first, { defaultSize: ORDER_STATS_DEFAULT_FIRST, max: ORDER_STATS_MAX_FIRST });
    const skip = offset ?? 0;
    if (!Number.isInteger(skip) || skip < 0) throw badUserInput('"offset" must not be negative', 'offset');
    if (new Set(groupBy).size !== groupBy.length) throw badUserInput('"groupBy" lists a dimension twice', 'groupBy');
    const sorts = orderBy ?? groupBy.map((dimension) => ({ by: dimension as unknown as OrderStatsSortKey, direction: SortDirection.ASC }));
    for (const sort of sorts) {
      if (!MEASURE_FIELD[sort.by] && !groupBy.includes(sort.by as unknown as OrderStatsDimension)) {
        throw badUserInput(`"orderBy" ${sort.by} is neither a measure nor a grouped dimension`, 'orderBy');
      }
    }
    const request = await this.request(groupBy, filter, ctx);
    const needs = (key: OrderStatsSortKey, field: string) => sorts.some((sort) => sort.by === key) || selects(info, 'groups', field);
    request.withReviews = needs(OrderStatsSortKey.MEAN_REVIEW_SCORE, 'meanReviewScore');
    request.measures = {
      items: needs(OrderStatsSortKey.ITEMS_TOTAL, 'itemsTotal') || needs(OrderStatsSortKey.FREIGHT_TOTAL, 'freightTotal'),
      payments: needs(OrderStatsSortKey.PAYMENT_TOTAL, 'paymentTotal') || needs(OrderStatsSortKey.AVERAGE_ORDER_VALUE, 'averageOrderValue'),
      delivery: needs(OrderStatsSortKey.LATE_DELIVERY_SHARE, 'lateDeliveryShare') || needs(OrderStatsSortKey.MEAN_DELIVERY_DAYS, 'meanDeliveryDays'),
    };

    // The caller's scope (a partner's own lines, payment figures, small-group suppression) is the read model's.
    const byPayments = sorts.some((sort) => sort.by === OrderStatsSortKey.PAYMENT_TOTAL || sort.by === OrderStatsSortKey.AVERAGE_ORDER_VALUE);
    const { groups: shown, suppressed, minGroupPersons } = await ctx.data.orderStats(request, { byPayments });
    const groups = shown.map((totals) => toGroup(groupBy, totals, request.withReviews));
    groups.sort(compareBy(sorts, groupBy));
    return { groups: groups.slice(skip, skip + limit), totalGroups: groups.length, suppressedGroups: suppressed, minGroupPersons };
  }

  /** The arguments, validated, as fusion's request (graph values; the partner scope is added by the read model). */
  private async request(
    groupBy: OrderStatsDimension[],
    filter: OrderStatsFilter | null,
    ctx: SubgraphContext,
  ): Promise<Omit<OrderStatsRequest, 'sellerScope'>> {
    const f = filter ?? {};
    if (f.purchasedFrom && f.purchasedTo && f.purchasedFrom.getTime() > f.purchasedTo.getTime()) {
      throw badUserInput('"purchasedFrom" must not be later than "purchasedTo"', 'filter.purchasedFrom');
    }
    const values: OrderStatsRequest['filter'] = {};
    const list = (name: string, items: string[] | null | undefined, check: (value: string) => string): string[] | undefined => {
      if (items === null || items === undefined) return undefined;
      if (items.length === 0) throw badUserInput(`"filter.${name}" must not be empty (leave it out to keep every value)`, `filter.${name}`);
      return [...new Set(items.map(check))];
    };
    const set = (dimension: OrderStatsDimensionName, items: string[] | undefined) => {
      if (items) values[dimension] = items;
    };
    const pattern =
      (name: string, regex: RegExp, extra: (value: string) => boolean = () => true) =>
      (value: string) => {
        if (!regex.test(value) || !extra(value)) throw badUserInput(`"filter.${name}": "${value}" is not a valid value`, `filter.${name}`);
        return value;
      };
    const isDate = (value: string) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
    const DAY = /^\d{4}-\d{2}-\d{2}$/;
    set('PURCHASE_DAY', list('purchaseDays', f.purchaseDays, pattern('purchaseDays', DAY, isDate)));
    set(
      'PURCHASE_WEEK',
      list(
        'purchaseWeeks',
        f.purchaseWeeks,
        pattern('purchaseWeeks', DAY, (v) => isDate(v) && new Date(`${v}T00:00:00Z`).getUTCDay() === 1),
      ),
    );
    set('PURCHASE_MONTH', list('purchaseMonths', f.purchaseMonths, pattern('purchaseMonths', /^\d{4}-(0[1-9]|1[0-2])$/)));
    set(
      'ORDER_STATUS',
      list('statuses', f.statuses, (status) => status),
    );
    set(
      'CUSTOMER_STATE',
      list('customerStates', f.customerStates, (state) => stateCodeArgument(state, 'filter.customerStates')!),
    );
    set(
      'SELLER_STATE',
      list('sellerStates', f.sellerStates, (state) => stateCodeArgument(state, 'filter.sellerStates')!),
    );
    set('PAYMENT_TYPE', list('paymentTypes', f.paymentTypes, pattern('paymentTypes', new RegExp(`^(${PAYMENT_TYPES.join('|')})$`))));
    set(
      'SELLER',
      list('sellerIds', f.sellerIds, (id) => assertOlistId(id, 'filter.sellerIds')),
    );
    if (f.productCategories || f.productCategoriesPt) {
      const known = await ctx.data.orderStatsCategoryNames();
      set(
        'PRODUCT_CATEGORY',
        list(
          'productCategories',
          f.productCategories,
          pattern('productCategories', /./, (v) => known.en.has(v)),
        ),
      );
      set(
        'PRODUCT_CATEGORY_PT',
        list(
          'productCategoriesPt',
          f.productCategoriesPt,
          pattern('productCategoriesPt', /./, (v) => known.pt.has(v)),
        ),
      );
    }
    return {
      groupBy: groupBy as OrderStatsDimensionName[],
      filter: values,
      ...(f.purchasedFrom ? { purchasedFrom: instantToLocalTimestamp(f.purchasedFrom) } : {}),
      ...(f.purchasedTo ? { purchasedTo: instantToLocalTimestamp(f.purchasedTo) } : {}),
      withReviews: false,
    };
  }
}

function toGroup(groupBy: readonly OrderStatsDimension[], totals: OrderStatsGroupTotals, withReviews: boolean): OrderStatsGroup {
  const group: OrderStatsGroup = {
    purchaseDay: null,
    purchaseWeek: null,
    purchaseMonth: null,
    orderStatus: null,
    customerState: null,
    sellerState: null,
    productCategory: null,
    productCategoryPt: null,
    paymentType: null,
    sellerId: null,
    orderCount: totals.orders,
    distinctPersons: totals.persons,
    itemsTotal: totals.itemsCents / 100,
    freightTotal: totals.freightCents / 100,
    paymentTotal: totals.paymentCents / 100,
    averageOrderValue: totals.orders > 0 ? totals.paymentCents / totals.orders / 100 : null,
    lateDeliveryShare: totals.delivered > 0 ? totals.late / totals.delivered : null,
    meanDeliveryDays: totals.delivered > 0 ? totals.deliveryDays / totals.delivered : null,
    meanReviewScore: withReviews && totals.reviews > 0 ? totals.reviewScoreSum / totals.reviews : null,
  };
  groupBy.forEach((dimension, i) => {
    const value = totals.values[i];
    if (dimension === OrderStatsDimension.ORDER_STATUS) group.orderStatus = value as OrderStatus | null;
    else (group as unknown as Record<string, string | null>)[GROUP_FIELD[dimension]] = value;
  });
  return group;
}

/** Sorts by each key in turn (nulls last whatever the direction), then by the grouped values ascending. */
function compareBy(sorts: readonly OrderStatsOrder[], groupBy: readonly OrderStatsDimension[]) {
  const keys = [
    ...sorts.map((sort) => ({
      field: MEASURE_FIELD[sort.by] ?? GROUP_FIELD[sort.by as unknown as OrderStatsDimension],
      sign: sort.direction === SortDirection.ASC ? 1 : -1,
    })),
    ...groupBy.map((dimension) => ({ field: GROUP_FIELD[dimension], sign: 1 })),
  ];
  return (a: OrderStatsGroup, b: OrderStatsGroup): number => {
    for (const { field, sign } of keys) {
      const x = a[field] as string | number | null;
      const y = b[field] as string | number | null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

/** Does the operation select `parent { field }` under this field (through fragments)? */
function selects(info: GraphQLResolveInfo, parent: string, field: string): boolean {
  const within = (set: SelectionSetNode | undefined, name: string): SelectionSetNode[] =>
    (set?.selections ?? []).flatMap((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name && selection.selectionSet ? [selection.selectionSet] : [];
      const fragment = selection.kind === 'FragmentSpread' ? info.fragments[selection.name.value] : selection;
      return within(fragment?.selectionSet, name);
    });
  const has = (set: SelectionSetNode, name: string): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name;
      const fragment = selection.kind === 'FragmentSpread' ? info.fragments[selection.name.value] : selection;
      return fragment ? has(fragment.selectionSet, name) : false;
    });
  return info.fieldNodes.some((node: FieldNode) => within(node.selectionSet, parent).some((set) => has(set, field)));
}

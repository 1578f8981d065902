import { registerEnumType } from 'type-graphql';

/** One sort direction for every ordered field of the graph (orderStats, orders, products). */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(SortDirection, { name: 'SortDirection' });

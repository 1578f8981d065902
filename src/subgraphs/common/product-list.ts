import type { ProductListRequest } from '../../fusion';
import type { ListPage } from '../../read-model';
import { badUserInput, decodeCursor, pageSize } from '../../shared';
import type { ConnectionArgs } from './connection.args';
import type { Connection } from './connection.type';
import type { SubgraphContext } from './context';
import { directionOf, scoreRangeArgument } from './cross-filter-args';
import { connectionFromKeysetPage } from './paginate';
import type { ProductsFilter, ProductsOrderBy } from './product-filter.input';

/** Whether a product listing needs the rating plan (fusion/cross-filter) rather than the catalog's own page. */
export function needsRatingPlan(filter: ProductsFilter | null | undefined, orderBy: ProductsOrderBy | null | undefined): boolean {
  const given = (value: unknown) => value !== null && value !== undefined;
  return [filter, orderBy].some((input) => input !== null && input !== undefined && Object.values(input).some(given));
}

/**
 * Query.products / Seller.products sorted or filtered by rating: a keyset page over the per-product
 * rating ranking. The cursor carries the sort key: [id], or [rating (−1: none), id].
 */
export async function ratedProducts<T>(
  ctx: SubgraphContext,
  args: ConnectionArgs,
  category: string | null | undefined,
  filter: ProductsFilter | null | undefined,
  orderBy: ProductsOrderBy | null | undefined,
  read: (request: ProductListRequest) => Promise<ListPage<T>>,
): Promise<Connection<T>> {
  const limit = pageSize(args.first);
  const sorts = Object.entries(orderBy ?? {}).filter(([, direction]) => direction !== null && direction !== undefined);
  if (sorts.length > 1) throw badUserInput('"orderBy" takes exactly one sort key', 'orderBy');
  const [sort, direction] = sorts[0] ?? ['id', undefined];
  const ratings = scoreRangeArgument(filter?.minAverageRating, filter?.maxAverageRating, {
    min: 'filter.minAverageRating',
    max: 'filter.maxAverageRating',
  });
  const request: ProductListRequest = {
    categoryNames: category === null || category === undefined ? undefined : await ctx.data.categoryNamesOf(category, 'category'),
    minAverageRating: ratings.min,
    maxAverageRating: ratings.max,
    sort: sort === 'averageRating' ? 'averageRating' : 'id',
    direction: directionOf(direction),
    limit: limit + 1,
  };
  if (args.after) request.after = decodeCursor(args.after, request.sort === 'id' ? 1 : 2);
  if (request.sort === 'averageRating' && request.after && typeof request.after[0] !== 'number') {
    throw badUserInput(`Invalid cursor "${args.after}"`, 'after');
  }
  const page = await read(request);
  const keys = new Map(page.nodes.map((node, i) => [node, page.keys[i]]));
  return connectionFromKeysetPage(page.nodes, limit, (node) => keys.get(node)!, request.after !== undefined, page.count);
}

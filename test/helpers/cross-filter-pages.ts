/**
 * Walks a connection page by page (`after` = the previous endCursor) and returns every node id in the
 * order served, with the first page's totalCount (the later pages do not ask for it), so a test can compare the whole listing with an oracle.
 */
import type { Credential } from './credentials';
import { postQuery, type HttpGraphQLResponse } from './graphql-client';

export const ORDERS_QUERY = `query Orders($first: Int, $after: String, $filter: OrdersFilter, $orderBy: OrdersOrderBy, $status: OrderStatus, $withCount: Boolean = true) {
  orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy, status: $status) {
    totalCount @include(if: $withCount) pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;

export const PRODUCTS_QUERY = `query Products($first: Int, $after: String, $category: String, $filter: ProductsFilter, $orderBy: ProductsOrderBy, $withCount: Boolean = true) {
  products(first: $first, after: $after, category: $category, filter: $filter, orderBy: $orderBy) {
    totalCount @include(if: $withCount) pageInfo { hasNextPage endCursor } edges { cursor node { id averageRating } } } }`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

export interface Walk {
  ids: string[];
  totalCount: number;
  pages: number;
}

/** Every page of `field` (the query's one root field), at most `maxPages`. */
export async function walkPages(
  url: string,
  query: string,
  field: string,
  variables: Record<string, unknown>,
  as?: Credential,
  maxPages = 1_000,
): Promise<Walk> {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  let pages = 0;
  for (; pages < maxPages;) {
    const response: HttpGraphQLResponse<Record<string, Page | null>> = await postQuery<Record<string, Page | null>>(
      url,
      query,
      { ...variables, after, withCount: pages === 0 },
      as,
    );
    if (response.body.errors) throw new Error(`${field}: ${JSON.stringify(response.body.errors)}`);
    const page: Page = response.body.data![field]!;
    pages += 1;
    if (totalCount < 0) totalCount = page.totalCount;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, totalCount, pages };
}

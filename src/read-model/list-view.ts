import {
  accountIdsOfPerson,
  orderListPage,
  orderView,
  productListPage,
  productView,
  type OrderListRequest,
  type OrderView,
  type ProductListRequest,
  type ProductView,
} from '../fusion';
import { badUserInput } from '../shared';
import type { RequestReads } from './request-reads';
import { mayListOrdersOf, orderRowScope, productRowScope } from './row-scope';

export interface ListPage<T> {
  nodes: T[];
  /** Each node's sort key (its cursor), aligned with `nodes`. */
  keys: (string | number)[][];
  count(): Promise<number>;
}

/**
 * The order and product listings filtered or sorted by facts other systems own (fusion/cross-filter):
 * the caller's row scope is added here — a customer's accounts, a partner's seller or products — and
 * category arguments are checked against the catalog.
 */
export function listView({ loaders, sources, principal, categories, crossKeys }: RequestReads) {
  const ordersPage = async (request: OrderListRequest, scope: { customerIds?: readonly string[]; sellerId?: string }): Promise<ListPage<OrderView>> => {
    const page = await orderListPage(sources, crossKeys, request, scope);
    const nodes = page.orders.map(orderView);
    return { nodes, keys: nodes.map((order) => [order.purchaseTimestamp, order.id]), count: page.count };
  };
  const productsPage = async <T>(
    request: ProductListRequest,
    scope: readonly string[] | undefined,
    view: (product: ProductView) => T,
  ): Promise<ListPage<T>> => {
    const page = await productListPage(sources, crossKeys, request, scope);
    return { nodes: page.products.map((record) => view(productView(record, categories))), keys: page.keys, count: page.count };
  };
  let knownCategories: Set<string> | undefined;

  return {
    /** A category argument (catalog or English name) → the catalog's raw names; unknown → BAD_USER_INPUT, never an empty page. */
    async categoryNamesOf(category: string, argumentName: string): Promise<string[]> {
      const name = category.trim();
      if (name === '') throw badUserInput(`"${argumentName}" must not be empty`, argumentName);
      knownCategories ??= new Set([...(await crossKeys.productCategory()).values()].flatMap((value) => (value !== null ? [value] : [])));
      const names = categories.rawNamesFor(name);
      if (!names.some((raw) => knownCategories!.has(raw)) && names.length === 1 && categories.english(name) === undefined) {
        throw badUserInput(`"${argumentName}": unknown category "${category}" (a catalog name or its English name)`, argumentName);
      }
      return names;
    },

    /** Query.orders with cross-system predicates, within the caller's scope. */
    async filteredOrdersPage(request: OrderListRequest): Promise<ListPage<OrderView>> {
      return ordersPage(request, await orderRowScope(principal, loaders));
    },

    /** User.orders with cross-system predicates: the person's accounts, as far as the caller may list that person's orders. */
    async filteredOrdersOfPerson(personId: string, request: OrderListRequest): Promise<ListPage<OrderView>> {
      if (!mayListOrdersOf(principal, personId)) return { nodes: [], keys: [], count: async () => 0 };
      return ordersPage(request, { customerIds: await accountIdsOfPerson(loaders, personId) });
    },

    /** Query.products by rating (filtered or sorted), within the caller's scope (a partner: its own products). */
    async ratedProductsPage(request: ProductListRequest): Promise<ListPage<ProductView>> {
      return productsPage(request, await productRowScope(principal, loaders), (product) => product);
    },

    /** Seller.products by rating: the products the seller has sold (a seller is reached only within the caller's scope). */
    async ratedProductsOfSeller(sellerId: string, request: ProductListRequest): Promise<ListPage<{ id: string }>> {
      return productsPage(request, await loaders.productIdsBySellerId.load(sellerId), (product) => ({ id: product.id }));
    },
  };
}

export type ListView = ReturnType<typeof listView>;

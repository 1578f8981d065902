import { accountIdsOfPerson, personIdOfAccount } from '../fusion';
import type { SourceLoaders } from '../sources';
import type { Principal } from '../security';

/**
 * Which rows each role may reach. `customer`: their own person, orders and reviews; `partner`: the
 * orders containing its products, its own lines of them, its own products and its own seller, and
 * per-product / per-category figures over its own lines only (sellerLineScope); `bi`,
 * `admin` (and, for catalog rows, every role the policy lets read the catalog): everything.
 * A row out of scope looks exactly like a row that does not exist (null, no error), so probing ids
 * tells an attacker nothing. Listings push the scope into the source query (see `orderRowScope`).
 * Private to the read model: resolvers get rows already scoped, never these helpers.
 */
export type EntityName = 'User' | 'Order' | 'Product' | 'Seller';

/** May the caller reach this entity (by key)? Query fields by id and every entity reference ask here. */
export async function canSee(principal: Principal, loaders: SourceLoaders, entity: string, id: string): Promise<boolean> {
  switch (principal.role) {
    case 'admin':
    case 'bi':
      return true;
    case 'customer':
      if (entity === 'User') return id === principal.subject;
      if (entity === 'Order') return isOwnOrder(principal, loaders, id);
      return true;
    case 'partner':
      if (entity === 'Order') return (await loaders.itemsByOrderId.load(id)).some((item) => item.sellerId === principal.sellerId);
      if (entity === 'Product') return sellsProduct(principal, loaders, id);
      if (entity === 'Seller') return id === principal.sellerId;
      // Only its pseudonymised id is readable (policy.ts); the reference itself may pass.
      return entity === 'User';
    case 'frontend-service':
      // The catalog, and people as far as their recommendations (policy.ts decides the fields).
      return entity !== 'Order';
    default:
      // anonymous: the public catalog at most (policy.ts closes even that unless configured open).
      return entity === 'Product' || entity === 'Seller';
  }
}

async function isOwnOrder(principal: Principal, loaders: SourceLoaders, orderId: string): Promise<boolean> {
  const order = await loaders.orderById.load(orderId);
  return order !== null && (await personIdOfAccount(loaders, order.customerId)) === principal.subject;
}

async function sellsProduct(principal: Principal, loaders: SourceLoaders, productId: string): Promise<boolean> {
  return (await loaders.productIdsBySellerId.load(principal.sellerId!)).includes(productId);
}

/** The order rows a listing may return, as a filter the orders source applies in its query. */
export interface OrderRowScope {
  /** Only orders placed from these CRM accounts. */
  customerIds?: string[];
  /** Only orders with at least one line of this seller. */
  sellerId?: string;
}

export async function orderRowScope(principal: Principal, loaders: SourceLoaders): Promise<OrderRowScope> {
  if (principal.role === 'customer') return { customerIds: await accountIdsOfPerson(loaders, principal.subject) };
  if (principal.role === 'partner') return { sellerId: principal.sellerId! };
  return {};
}

/** The product rows a listing may return: a partner's own products (ids for the catalog query); undefined: all. */
export async function productRowScope(principal: Principal, loaders: SourceLoaders): Promise<string[] | undefined> {
  return principal.role === 'partner' ? loaders.productIdsBySellerId.load(principal.sellerId!) : undefined;
}

/** The lines of a visible order the caller may see: a partner only its own. */
export function visibleItems<T extends { sellerId: string }>(principal: Principal, items: readonly T[]): T[] {
  return principal.role === 'partner' ? items.filter((item) => item.sellerId === principal.sellerId) : [...items];
}

/** The sellers of a product the caller may see: a partner only itself. */
export function visibleSellers(principal: Principal, sellerIds: readonly string[]): string[] {
  return principal.role === 'partner' ? sellerIds.filter((id) => id === principal.sellerId) : [...sellerIds];
}

/** Orders whose reviews the caller may read through a product: a customer only their own, a partner only those with its lines. */
export async function visibleReviewOrders(principal: Principal, loaders: SourceLoaders, orderIds: readonly string[]): Promise<string[]> {
  if (principal.role === 'partner') {
    const items = await loaders.itemsByOrderId.loadMany(orderIds);
    return orderIds.filter((_, index) => {
      const lines = items[index];
      if (lines instanceof Error) throw lines;
      return lines.some((item) => item.sellerId === principal.sellerId);
    });
  }
  if (principal.role !== 'customer') return [...orderIds];
  const perAccount = await loaders.ordersByCustomerId.loadMany(await accountIdsOfPerson(loaders, principal.subject));
  const own = new Set(
    perAccount.flatMap((orders) => {
      if (orders instanceof Error) throw orders;
      return orders.map((order) => order.orderId);
    }),
  );
  return orderIds.filter((id) => own.has(id));
}

/** Whether the caller may list people (Query.users): BI and admins; for anyone else the listing is empty. */
export function mayListPeople(principal: Principal): boolean {
  return principal.role === 'admin' || principal.role === 'bi';
}

/** Whether the caller may list a person's orders: bi/admin anyone's, a customer only their own; other roles no person's. */
export function mayListOrdersOf(principal: Principal, personId: string): boolean {
  return principal.role === 'admin' || principal.role === 'bi' || (principal.role === 'customer' && personId === principal.subject);
}

/** The orders of a person the caller may list (see mayListOrdersOf). */
export function visibleOrdersOfPerson<T>(principal: Principal, personId: string, orders: readonly T[]): T[] {
  return mayListOrdersOf(principal, personId) ? [...orders] : [];
}

/** Whose order lines a per-product or per-category figure (demand forecasts) may count: a partner only its own; null: every seller's. */
export function sellerLineScope(principal: Principal): string | null {
  return principal.role === 'partner' ? (principal.sellerId ?? null) : null;
}

/** Whom the caller may score products for: a customer only themself. */
export function mayScoreFor(principal: Principal, personId: string): boolean {
  return principal.role !== 'customer' || personId === principal.subject;
}

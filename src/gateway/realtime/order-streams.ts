import type { ReadModel } from '../../read-model';
import type { Principal } from '../../security';
import { badUserInput, forbidden } from '../../shared';
import type { ChangeHub, OrderChange } from './change-hub';

/** One caller's order-change subscriptions, already under its row scope (the embedded schema and the orders subgraph both subscribe through these). */
export interface OrderChangeStreams {
  /** The changes of one order: a customer's own orders, a partner's orders with a line of its seller, bi and admin any. */
  orderUpdated(id: string): Promise<AsyncIterableIterator<OrderChange>>;
  /** The changes of one seller's orders: a partner its own (sellerId omitted or its own), bi and admin the seller they name. */
  ordersOfSeller(sellerId: string | null): Promise<AsyncIterableIterator<OrderChange>>;
}

/** Only bi and admin see every seller's orders; a partner its own; a customer its own orders. */
function partnerFilter(principal: Principal): (change: OrderChange) => boolean {
  return principal.role === 'partner' ? (change) => change.sellerIds.includes(principal.sellerId!) : () => true;
}

/** `data`: the caller's read model, so a subscription sees an order exactly when a query of the caller's would. */
export function orderChangeStreams(hub: ChangeHub, principal: Principal, data: Pick<ReadModel, 'order'>): OrderChangeStreams {
  return {
    async orderUpdated(id) {
      if (!['admin', 'bi', 'partner', 'customer'].includes(principal.role)) throw forbidden('orderUpdated');
      // A customer's order must be theirs already; an order out of scope simply never delivers anything.
      const visible = principal.role !== 'customer' || (await data.order(id)) !== null;
      const inScope = partnerFilter(principal);
      return hub.subscribe((change) => visible && change.orderId === id && inScope(change));
    },
    async ordersOfSeller(asked) {
      let sellerId: string;
      if (principal.role === 'partner') {
        if (asked !== null && asked !== principal.sellerId) throw forbidden(`ordersOfSeller(sellerId: "${asked}")`);
        sellerId = principal.sellerId!;
      } else if (principal.role === 'admin' || principal.role === 'bi') {
        if (asked === null) throw badUserInput('ordersOfSeller needs a sellerId', 'sellerId');
        sellerId = asked;
      } else {
        throw forbidden('ordersOfSeller');
      }
      return hub.subscribe((change) => change.sellerIds.includes(sellerId));
    },
  };
}

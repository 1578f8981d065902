/**
 * subgraphs/orders: the order-management view — Order, OrderItem, Payment, Review — and the
 * fields orders add to other domains' entities (User.orders/orderCount/totalSpent,
 * Product.sellers/orderCount/averageRating/reviews, Seller.products), and the grouped order statistics
 * (Query.orderStats, computed by fusion/analytics), and the order subscriptions (Subscription.orderUpdated,
 * ordersOfSeller: the change streams a process that follows the change events puts in the context). Reads the orders and
 * reviews sources, and the CRM through fusion's identity resolution, all through the read model.
 */
import { buildFederatedSubgraph, keyReference, type SubgraphDefinition } from '../common';
import { OrderChangeResolver } from './order-change.resolver';
import { orderReference } from './order.reference';
import { OrderItemResolver } from './order-item.resolver';
import { OrderResolver } from './order.resolver';
import { OrderStatsResolver } from './order-stats.resolver';
import { PaymentResolver } from './payment.resolver';
import { ProductOrdersResolver } from './product-orders.resolver';
import { ReviewResolver } from './review.resolver';
import { SellerProductsResolver } from './seller-products.resolver';
import { UserOrdersResolver } from './user-orders.resolver';

export function buildOrdersSubgraph(): Promise<SubgraphDefinition> {
  return buildFederatedSubgraph(
    'orders',
    [
      OrderResolver,
      OrderChangeResolver,
      OrderStatsResolver,
      OrderItemResolver,
      PaymentResolver,
      ReviewResolver,
      UserOrdersResolver,
      ProductOrdersResolver,
      SellerProductsResolver,
    ],
    { Order: orderReference, User: keyReference('User'), Product: keyReference('Product'), Seller: keyReference('Seller') },
  );
}

import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { OrderItemView } from '../../fusion';
import { OrderItem } from './order-item.type';
import { ProductReference, SellerReference } from './references.stub';

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver(() => ProductReference)
  product(@Root() item: OrderItemView): ProductReference {
    return { id: item.productId };
  }

  @FieldResolver(() => SellerReference)
  seller(@Root() item: OrderItemView): SellerReference {
    return { id: item.sellerId };
  }
}

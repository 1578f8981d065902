import { FieldResolver, Resolver, Root } from 'type-graphql';
import { PROVENANCE_COLUMNS, type OrderItemView } from '../../fusion';
import { TracedResolver } from '../common';
import { OrderItem } from './order-item.type';
import { ProductReference, SellerReference } from './references.stub';

@Resolver(() => OrderItem)
export class OrderItemResolver extends TracedResolver<OrderItemView>(() => OrderItem, PROVENANCE_COLUMNS.item) {
  @FieldResolver(() => ProductReference, { nullable: true })
  product(@Root() item: OrderItemView): ProductReference {
    return { id: item.productId };
  }

  @FieldResolver(() => SellerReference, { nullable: true })
  seller(@Root() item: OrderItemView): SellerReference {
    return { id: item.sellerId };
  }
}

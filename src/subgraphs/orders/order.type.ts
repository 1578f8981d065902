import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common';
import { OrderStatus } from './order-status.enum';

@ObjectType({ description: 'An order from the order-management system' })
@Directive('@key(fields: "id")')
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => DateTimeScalar, { nullable: true })
  purchasedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Payment approval' })
  approvedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Handed to the carrier' })
  carrierAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Delivered to the customer' })
  deliveredAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Delivery date promised at purchase' })
  estimatedDeliveryAt!: string | null;
}

import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common';

@ObjectType({ description: 'One line of an order' })
export class OrderItem {
  @Field(() => Int, { description: 'Line number within the order, from 1' })
  position!: number;

  @Field(() => Float, { description: 'Price in BRL' })
  price!: number;

  @Field(() => Float, { description: 'Freight in BRL' })
  freight!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Latest hand-over to the carrier the seller agreed to' })
  shippingLimitAt!: string | null;
}

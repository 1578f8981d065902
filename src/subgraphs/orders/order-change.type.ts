import { Field, ID, ObjectType } from 'type-graphql';

/** The embedded gateway's OrderChange (gateway/realtime/subscriptions.ts) plus the order itself, as an entity the router resolves across subgraphs. */
@ObjectType({ description: 'One change of an order, as its source system published it.' })
export class OrderChange {
  @Field(() => ID)
  eventId!: string;

  @Field({ description: 'order.created, order.item-added, order.status-changed, order.delivered, …' })
  type!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { nullable: true, description: 'The status after the change, when it sets one.' })
  status!: string | null;

  @Field()
  occurredAt!: string;

  @Field(() => [ID])
  sellerIds!: string[];
}

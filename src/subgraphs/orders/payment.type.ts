import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One payment towards an order' })
export class Payment {
  @Field(() => Int)
  sequential!: number;

  @Field({ description: 'credit_card, boleto, voucher, debit_card or not_defined, as the order system records it' })
  type!: string;

  @Field(() => Int)
  installments!: number;

  @Field(() => Float, { description: 'Amount in BRL' })
  value!: number;
}

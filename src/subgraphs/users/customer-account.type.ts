import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One CRM account (Olist customer_id); Olist opens a new one for every order' })
export class CustomerAccount {
  @Field(() => ID)
  customerId!: string;

  @Field({ description: '5-digit zip code prefix' })
  zipPrefix!: string;

  @Field()
  city!: string;

  @Field({ description: 'Two-letter state code' })
  state!: string;
}

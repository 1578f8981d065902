import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person (Olist customer_unique_id), who holds one CRM account per order' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'The person id (customer_unique_id)' })
  id!: string;
}

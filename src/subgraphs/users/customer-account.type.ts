import { Field, Float, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Why an account belongs to its person: the identity rule that linked it and its confidence' })
export class IdentityLink {
  @Field({ description: 'e.g. exact:customer_unique_id, attribute:zip_prefix+city+state' })
  rule!: string;

  @Field(() => Float, { description: '0..1' })
  confidence!: number;
}

@ObjectType({ description: 'One account of a person in one channel (in the CRM, Olist opens one per order)' })
export class CustomerAccount {
  @Field(() => ID)
  customerId!: string;

  @Field(() => String, { nullable: true, description: '5-digit zip code prefix (leading zeros restored); null if invalid' })
  zipPrefix!: string | null;

  @Field(() => String, { nullable: true, description: 'Two-letter state code; null if invalid' })
  state!: string | null;
}

import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A marketplace seller' })
@Directive('@key(fields: "id")')
export class Seller {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: '5-digit zip code prefix (leading zeros restored); null if invalid' })
  zipPrefix!: string | null;

  @Field(() => String, { nullable: true, description: 'Two-letter state code; null if invalid' })
  state!: string | null;
}

import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A marketplace seller' })
@Directive('@key(fields: "id")')
export class Seller {
  @Field(() => ID)
  id!: string;

  @Field({ description: '5-digit zip code prefix' })
  zipPrefix!: string;

  @Field()
  city!: string;

  @Field({ description: 'Two-letter state code' })
  state!: string;
}

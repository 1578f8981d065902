import { Directive, Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog category' })
// An entity so the scoring subgraph can add Category.demandForecast; no other subgraph returns categories.
@Directive('@key(fields: "name")')
export class Category {
  @Field({ description: "The catalog's own (Portuguese) name" })
  name!: string;

  @Field(() => String, { nullable: true, description: 'English name from the translation table; null when it has none' })
  nameEn!: string | null;
}

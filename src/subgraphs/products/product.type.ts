import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog product' })
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID)
  id!: string;

  categoryName!: string | null;

  @Field(() => Int, { nullable: true, description: 'Weight in grams, as the catalog has it' })
  weightGrams!: number | null;

  @Field(() => Int, { nullable: true, description: 'Length in centimetres' })
  lengthCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Height in centimetres' })
  heightCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Width in centimetres' })
  widthCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of product photos' })
  photosCount!: number | null;
}

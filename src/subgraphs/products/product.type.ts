import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Category } from './category.type';

@ObjectType({ description: 'A catalog product' })
@Directive('@key(fields: "id")')
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => Category, { nullable: true, description: 'Null when the catalog has no category for the product' })
  category!: Category | null;

  @Field(() => Int, { nullable: true, description: 'Weight in grams; null when missing, zero or impossible' })
  weightGrams!: number | null;

  @Field(() => Int, { nullable: true, description: 'Length in centimetres; null when missing, zero or impossible' })
  lengthCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Height in centimetres; null when missing, zero or impossible' })
  heightCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Width in centimetres; null when missing, zero or impossible' })
  widthCm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of product photos' })
  photosCount!: number | null;
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common';

@ObjectType({
  description: 'A customer review of an order. Fields the review store lacks (the shared data has scores only) are null.',
})
export class Review {
  @Field(() => ID, { nullable: true })
  id!: string | null;

  @Field(() => Int, { description: '1 to 5' })
  score!: number;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => String, { nullable: true, description: 'Review text, in Portuguese' })
  comment!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  createdAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  answeredAt!: string | null;
}

import { Directive, Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A point from the geography reference source (median of its rows for a zip prefix)' })
@Directive('@shareable')
export class GeoPoint {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;
}

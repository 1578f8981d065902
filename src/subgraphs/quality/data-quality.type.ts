import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common';

@ObjectType()
export class RuleCount {
  @Field()
  rule!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class ReasonCount {
  @Field()
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'One source table accounted for: read = served + merged + rejected' })
export class TableReconciliation {
  @Field()
  table!: string;

  @Field({ description: 'The source system holding the table' })
  source!: string;

  @Field(() => Int, { description: 'Rows in the source' })
  read!: number;

  @Field(() => Int, { description: 'Rows the graph shows as entities of their own' })
  served!: number;

  @Field(() => Int, { description: 'Rows folded into another entity (accounts into people, geography rows into one point per prefix)' })
  merged!: number;

  @Field(() => Int, { description: 'Rows the graph cannot reach, by reason' })
  rejected!: number;

  @Field(() => Int, { description: 'Served rows with at least one flag' })
  flagged!: number;

  @Field(() => [RuleCount])
  flagsByRule!: RuleCount[];

  @Field(() => [ReasonCount])
  rejectionsByReason!: ReasonCount[];

  @Field({ description: 'read = served + merged + rejected' })
  balanced!: boolean;
}

@ObjectType({ description: 'Reconciliation of every source row, computed over the full data' })
export class DataQualityReport {
  @Field(() => DateTimeScalar)
  generatedAt!: string;

  @Field({ description: 'Every table balances' })
  balanced!: boolean;

  @Field(() => [TableReconciliation])
  tables!: TableReconciliation[];
}

@ObjectType()
export class RuleExample {
  @Field()
  input!: string;

  @Field()
  output!: string;
}

@ObjectType({ description: 'A cleaning rule, identity rule or conflict policy the gateway applies' })
export class FusionRule {
  @Field()
  name!: string;

  @Field({ description: 'cleaning, identity or policy' })
  kind!: string;

  @Field()
  description!: string;

  @Field(() => [RuleExample])
  examples!: RuleExample[];
}

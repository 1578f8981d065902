import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ExplainHandle, Reason as ScoredReason } from '../../scoring';
import { ProductReference } from './references.stub';

export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description: 'LOW below 1.5× the late-delivery base rate the model was tested on, HIGH from 3×, MEDIUM between',
});

@ObjectType({ description: 'One reason for a score: its words, and which way and how far it moved the score' })
export class Reason {
  @Field({ description: 'In words a merchant reads, e.g. "seller usually delivers on time (3% late)"' })
  text!: string;

  @Field(() => Float, {
    nullable: true,
    description:
      'How much this reason moved the score: the score minus the score with the feature at its typical value (positive raised it, negative lowered it). ' +
      'null for the neutral reason given when no single feature stands out, and for similar products (their reasons are not model effects)',
  })
  effect!: number | null;
}

@ObjectType({ description: 'A product ranked for a person (or like another product), with why' })
export class Recommendation {
  @Field(() => ProductReference)
  product!: ProductReference;

  @Field(() => Float, { description: 'Model probability (recommendations) or embedding cosine (similar products)' })
  score!: number;

  @Field({ description: 'The model that ranked it, "<name>/<version>"' })
  modelVersion!: string;

  /** Known without the model (similar products); else computed from `explain` when selected. */
  reasons?: ScoredReason[];
  explain?: ExplainHandle;
}

@ObjectType({ description: "The recommendation model's score of one (person, product) pair" })
export class Score {
  @Field(() => Float, { description: 'Probability that the person buys the product next' })
  value!: number;

  @Field()
  modelVersion!: string;

  explain!: ExplainHandle;
}

@ObjectType({ description: 'Late-delivery risk of an order, predicted at its purchase time' })
export class Risk {
  @Field(() => Float, { description: 'Probability of delivery after the estimated date' })
  probability!: number;

  @Field(() => RiskLevel)
  level!: RiskLevel;

  @Field()
  modelVersion!: string;

  explain!: ExplainHandle;
}

@ObjectType({ description: 'One tensor of a model contract (config.json)' })
export class ModelTensor {
  @Field()
  name!: string;

  @Field()
  dataType!: string;

  @Field(() => [Int], { description: '-1: any size (the batch axis)' })
  dims!: number[];
}

@ObjectType({ description: 'One evaluation figure from the model card, e.g. "test.roc_auc"' })
export class ModelMetric {
  @Field()
  name!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: 'A model of the repository (models/<name>/<version>) as this process serves it' })
export class ModelInfo {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'The served version (the highest); null when none exists' })
  version!: string | null;

  @Field({ description: 'READY, or UNAVAILABLE (see error)' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'The onnxruntime execution provider in use (cuda, cpu, …); null when unavailable' })
  executionProvider!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the model is unavailable' })
  error!: string | null;

  @Field(() => [ModelTensor])
  inputs!: ModelTensor[];

  @Field(() => [ModelTensor])
  outputs!: ModelTensor[];

  @Field(() => [ModelMetric])
  metrics!: ModelMetric[];
}

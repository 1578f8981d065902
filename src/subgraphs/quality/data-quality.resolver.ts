import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { CLEANING_RULES, CONFLICT_POLICIES, IDENTITY_RULES, type DataQualityReport as Report } from '../../fusion';
import type { SubgraphContext } from '../common';
import { DataQualityReport, FusionRule } from './data-quality.type';

@Resolver()
export class DataQualityResolver {
  @Query(() => DataQualityReport, { nullable: true, description: 'Every source row accounted for, per table (full scan; cached until refresh)' })
  async dataQuality(
    @Arg('refresh', { defaultValue: false, description: 'Scan the sources again' }) refresh: boolean,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Report> {
    return ctx.data.dataQuality(refresh);
  }

  @Query(() => [FusionRule], { description: 'The cleaning rules, identity rules and conflict policies, with examples' })
  fusionRules(): FusionRule[] {
    const describe = (kind: string) => (rule: { name: string; description: string; examples: readonly { input: string; output: string }[] }) => ({
      name: rule.name,
      kind,
      description: rule.description,
      examples: [...rule.examples],
    });
    return [...CLEANING_RULES.map(describe('cleaning')), ...IDENTITY_RULES.map(describe('identity')), ...CONFLICT_POLICIES.map(describe('policy'))];
  }
}

import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { CLEANING_RULES, CONFLICT_POLICIES, IDENTITY_RULES, reconcileSources, type DataQualityReport as Report } from '../../fusion';
import type { Sources } from '../../sources';
import type { SubgraphContext } from '../common';
import { DataQualityReport, FusionRule } from './data-quality.type';

/** One report per set of sources, computed on first request (a full scan takes seconds) and kept. */
const reports = new WeakMap<Sources, Promise<Report>>();

@Resolver()
export class DataQualityResolver {
  @Query(() => DataQualityReport, { nullable: true, description: 'Every source row accounted for, per table (full scan; cached until refresh)' })
  async dataQuality(
    @Arg('refresh', { defaultValue: false, description: 'Scan the sources again' }) refresh: boolean,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Report> {
    let report = reports.get(ctx.sources);
    if (!report || refresh) {
      report = reconcileSources(ctx.sources);
      reports.set(ctx.sources, report);
      report.catch(() => reports.delete(ctx.sources));
    }
    return report;
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

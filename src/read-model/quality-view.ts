import { reconcileSources, type DataQualityReport } from '../fusion';
import type { Sources } from '../sources';
import type { RequestReads } from './request-reads';

/** One report per set of sources, computed on first request (a full scan takes seconds) and kept. */
const reports = new WeakMap<Sources, Promise<DataQualityReport>>();

/** The fusion layer's own account of every source row (a figure per table and rule; the policy shows it to BI and admins). */
export function qualityView({ sources }: RequestReads) {
  return {
    /** The reconciliation report, cached per set of sources until `refresh`. */
    dataQuality(refresh: boolean): Promise<DataQualityReport> {
      let report = reports.get(sources);
      if (!report || refresh) {
        report = reconcileSources(sources);
        reports.set(sources, report);
        report.catch(() => reports.delete(sources));
      }
      return report;
    },
  };
}

export type QualityView = ReturnType<typeof qualityView>;

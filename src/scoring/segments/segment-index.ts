/**
 * SegmentIndex: every person's segment at one as-of time — behaviour, RFM scores, the clustering
 * model's segment — and every segment's size and profile. Built once per process from the feature
 * store's snapshot and the segments model (one model run over all persons), so a person's segment
 * is stable for that as-of time and answers come from memory.
 */
import { localText } from '../features';
import type { PersonBehaviour } from './behaviour';
import { segmentName } from './naming';
import { rfmCode, rfmCuts, rfmScores, type RfmCuts, type RfmScores } from './rfm';

export interface SegmentDefinition {
  id: number;
  name: string;
  /** The centroid in the features' own units, and in standard deviations of the training persons. */
  centroid: Record<string, number>;
  centroidZ: Record<string, number>;
}

export interface SegmentProfile {
  id: number;
  name: string;
  persons: number;
  share: number;
  meanRecencyDays: number;
  meanOrders: number;
  repeatBuyerShare: number;
  meanSpend: number;
  meanInstallments: number;
  boletoShare: number;
  voucherShare: number;
  freightShare: number;
  meanCategories: number;
  meanRfm: RfmScores;
}

export interface PersonSegment {
  personId: string;
  segmentId: number;
  segmentName: string;
  behaviour: PersonBehaviour;
  rfm: RfmScores & { code: string };
}

export interface SegmentsModelConfig {
  centroids?: Record<string, number>[];
  centroids_z?: Record<string, number>[];
}

/** The segment definitions a segments model's config.json declares (index = the model's output). */
export function segmentDefinitions(config: SegmentsModelConfig): SegmentDefinition[] {
  const centroids = config.centroids ?? [];
  const z = config.centroids_z ?? [];
  if (centroids.length === 0 || centroids.length !== z.length) throw new Error('config.json declares no centroids');
  return centroids.map((centroid, id) => ({ id, name: segmentName(z[id]), centroid, centroidZ: z[id] }));
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export class SegmentIndex {
  private readonly byPerson = new Map<string, PersonSegment>();
  readonly profiles: SegmentProfile[];
  readonly cuts: RfmCuts;

  /** `assigned[i]` is the model's segment of `behaviours[i]`. */
  constructor(
    readonly asOf: number,
    readonly modelVersion: string,
    readonly definitions: readonly SegmentDefinition[],
    behaviours: readonly PersonBehaviour[],
    assigned: ArrayLike<number>,
  ) {
    this.cuts = rfmCuts(behaviours);
    const members: PersonSegment[][] = definitions.map(() => []);
    behaviours.forEach((behaviour, i) => {
      const definition = definitions[assigned[i]];
      if (!definition) throw new Error(`the segments model answered segment ${assigned[i]}, which config.json does not define`);
      const scores = rfmScores(behaviour, this.cuts);
      const person = {
        personId: behaviour.personId,
        segmentId: definition.id,
        segmentName: definition.name,
        behaviour,
        rfm: { ...scores, code: rfmCode(scores) },
      };
      this.byPerson.set(behaviour.personId, person);
      members[definition.id].push(person);
    });
    this.profiles = definitions.map((d, id) => {
      const list = members[id];
      const of = (pick: (b: PersonBehaviour) => number) => mean(list.map((p) => pick(p.behaviour)));
      return {
        id,
        name: d.name,
        persons: list.length,
        share: behaviours.length ? list.length / behaviours.length : 0,
        meanRecencyDays: of((b) => b.recencyDays),
        meanOrders: of((b) => b.orders),
        repeatBuyerShare: of((b) => (b.orders > 1 ? 1 : 0)),
        meanSpend: of((b) => b.spend),
        meanInstallments: of((b) => b.meanInstallments),
        boletoShare: of((b) => b.boletoShare),
        voucherShare: of((b) => b.voucherShare),
        freightShare: of((b) => b.freightShare),
        meanCategories: of((b) => b.categories),
        meanRfm: {
          recency: mean(list.map((p) => p.rfm.recency)),
          frequency: mean(list.map((p) => p.rfm.frequency)),
          monetary: mean(list.map((p) => p.rfm.monetary)),
        },
      };
    });
  }

  /** The person's segment; null when the person bought nothing before the as-of time (or is unknown). */
  of(personId: string): PersonSegment | null {
    return this.byPerson.get(personId) ?? null;
  }

  get persons(): number {
    return this.byPerson.size;
  }

  /** The as-of time as local text ("YYYY-MM-DD HH:MM:SS"). */
  get asOfText(): string {
    return localText(this.asOf);
  }
}

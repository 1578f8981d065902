import { representativePoint, resolveCity, type GeoPoint, type Resolved, type Traced } from '../fusion';
import type { RequestReads } from './request-reads';

/** An entity with an address owned by its own source (CRM accounts, catalog sellers). */
export interface Addressed extends Traced {
  zipPrefix: string | null;
  city: string | null;
}

/** Places: the geography reference behind accounts' and sellers' addresses (public reference data, no row scope). */
export function placesView({ loaders }: RequestReads) {
  const cityDecision = async (entity: Addressed): Promise<Resolved<string | null>> => {
    const rows = entity.zipPrefix === null ? [] : await loaders.locationsByZipPrefix.load(entity.zipPrefix);
    return resolveCity({ source: entity.trace.source, record: entity.trace.record, city: entity.city }, entity.zipPrefix, rows);
  };
  return {
    /** The geography reference's point for a zip prefix. */
    async locationOfZip(zipPrefix: string | null): Promise<GeoPoint | null> {
      if (zipPrefix === null) return null;
      return representativePoint(await loaders.locationsByZipPrefix.load(zipPrefix));
    },

    /** The city policy's decision between the owning source and the geography reference. */
    cityDecision,

    /** The city to show: the owner's when it is a city, without touching geography; else the decision's. */
    async cityOf(entity: Addressed): Promise<string | null> {
      return entity.city ?? (await cityDecision(entity)).value;
    },
  };
}

export type PlacesView = ReturnType<typeof placesView>;

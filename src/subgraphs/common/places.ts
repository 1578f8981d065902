import { representativePoint, resolveCity, type GeoPoint, type Resolved, type Traced } from '../../fusion';
import type { SubgraphContext } from './context';

/** An entity with an address owned by its own source (CRM accounts, catalog sellers). */
export interface Addressed extends Traced {
  zipPrefix: string | null;
  city: string | null;
}

/** The geography reference's point for a zip prefix. */
export async function locationOfZip(zipPrefix: string | null, ctx: SubgraphContext): Promise<GeoPoint | null> {
  if (zipPrefix === null) return null;
  return representativePoint(await ctx.loaders.locationsByZipPrefix.load(zipPrefix));
}

/** The city policy's decision between the owning source and the geography reference. */
export async function cityDecision(entity: Addressed, ctx: SubgraphContext): Promise<Resolved<string | null>> {
  const rows = entity.zipPrefix === null ? [] : await ctx.loaders.locationsByZipPrefix.load(entity.zipPrefix);
  return resolveCity({ source: entity.trace.source, record: entity.trace.record, city: entity.city }, entity.zipPrefix, rows);
}

/** The city to show: the owner's when it is a city, without touching geography; else the decision's. */
export async function resolvedCity(entity: Addressed, ctx: SubgraphContext): Promise<string | null> {
  return entity.city ?? (await cityDecision(entity, ctx)).value;
}

import type { GeolocationRecord } from '../sources';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/**
 * One point for a zip prefix: the median latitude and longitude of the reference rows
 * (the raw table holds many per prefix, a few far outside Brazil; the median ignores those).
 */
export function representativePoint(rows: readonly GeolocationRecord[]): GeoPoint | null {
  const points = rows
    .map((row) => ({ latitude: Number(row.geolocation_lat), longitude: Number(row.geolocation_lng) }))
    .filter((point) => Number.isFinite(point.latitude) && Number.isFinite(point.longitude));
  if (points.length === 0) return null;
  return { latitude: median(points.map((p) => p.latitude)), longitude: median(points.map((p) => p.longitude)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

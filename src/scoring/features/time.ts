/**
 * Time in the feature code: the source systems write local wall-clock text ("2017-10-02 10:56:33",
 * America/Sao_Paulo). Features only need differences and order, so a timestamp becomes the number of
 * milliseconds of that wall-clock reading taken as if it were UTC ("local ms"). No DST arithmetic.
 */
import { instantToLocalTimestamp } from '../../fusion';

export const DAY_MS = 86_400_000;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** "2017-10-02 10:56:33" → local ms; NaN for null/empty/malformed. */
export function localMs(text: string | null | undefined): number {
  if (!text) return Number.NaN;
  const m = LOCAL.exec(text);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** The graph's ISO-8601 timestamp ("2017-10-02T10:56:33-03:00", fusion's timestamp rule) → local ms of its wall clock; NaN for null. */
export function isoLocalMs(iso: string | null): number {
  return iso === null ? Number.NaN : localMs(`${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
}

/** Local ms → "YYYY-MM-DD HH:MM:SS". */
export function localText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** An as-of time given as local text, an ISO date ("2018-06-01"), a Date instant, or local ms. */
export type AsOf = string | number | Date;

export function asOfMs(asOf: AsOf): number {
  if (typeof asOf === 'number') return asOf;
  if (asOf instanceof Date) return localMs(instantToLocalTimestamp(asOf));
  if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return localMs(`${asOf} 00:00:00`);
  const ms = localMs(asOf);
  if (Number.isNaN(ms)) throw new Error(`Not an as-of time: "${asOf}" (expected "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS")`);
  return ms;
}

/** Start of the local day holding `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

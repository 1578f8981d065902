/**
 * The source systems write local wall-clock text ("2017-10-02 10:56:33") in Olist's zone,
 * America/Sao_Paulo, whose offset changed with daylight saving until 2019. The graph shows
 * ISO-8601 with the offset in force at that instant ("2017-10-02T10:56:33-03:00").
 */
export const SOURCE_TIME_ZONE = 'America/Sao_Paulo';

const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const zoneParts = new Intl.DateTimeFormat('en-US', {
  timeZone: SOURCE_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Wall-clock fields of `instant` in the source zone. */
function wallClock(instant: number): number[] {
  const parts = zoneParts.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** Offset of the source zone at `instant`, in minutes east of UTC. */
function offsetMinutesAt(instant: number): number {
  const [y, mo, d, h, mi, s] = wallClock(instant);
  return Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000) / 60000);
}

const offsetCache = new Map<string, number>();

/**
 * Offset for a local wall-clock time. A time skipped by a DST jump takes the offset before
 * the jump; a time that occurs twice takes the first (daylight) occurrence.
 */
function offsetMinutesForLocal(fields: number[]): number {
  const cacheKey = fields.slice(0, 4).join('-');
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const asUtc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], 0, 0);
  const before = offsetMinutesAt(asUtc - 6 * 3600_000);
  const after = offsetMinutesAt(asUtc + 6 * 3600_000);
  let offset = offsetMinutesAt(asUtc - before * 60000);
  if (before !== after) {
    const candidates = [before, after].filter((candidate) => offsetMinutesAt(asUtc - candidate * 60000) === candidate);
    offset = candidates.length === 0 ? before : Math.max(...candidates);
  }
  offsetCache.set(cacheKey, offset);
  return offset;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function isLocalTimestamp(text: string): boolean {
  return LOCAL_TIMESTAMP.test(text);
}

/** "2017-10-02 10:56:33" → "2017-10-02T10:56:33-03:00"; null for null/empty; throws on other shapes. */
export function localTimestampToIso(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return null;
  const match = LOCAL_TIMESTAMP.exec(text);
  if (!match) throw new Error(`Not a local timestamp: "${text}"`);
  const fields = match.slice(1).map(Number);
  return `${text.slice(0, 10)}T${text.slice(11)}${formatOffset(offsetMinutesForLocal(fields))}`;
}

/** An instant → the source systems' local wall-clock text, for pushing time filters down to them. */
export function instantToLocalTimestamp(instant: Date): string {
  const [y, mo, d, h, mi, s] = wallClock(instant.getTime());
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

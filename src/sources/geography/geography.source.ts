import fs from 'node:fs';
import { parseCsv } from '../../shared/csv';
import type { SourceQueryLog } from '../query-log';

/** A geolocation row as the reference file holds it (Olist's column names, text values). */
export interface GeolocationRecord {
  geolocation_zip_code_prefix: string;
  geolocation_lat: string;
  geolocation_lng: string;
  geolocation_city: string;
  geolocation_state: string;
}

/**
 * CSV reference connector: zip prefix -> geolocation rows. The raw Olist table has many rows per
 * prefix, the derived one exactly one; this source returns all of them and lets fusion choose.
 */
export class GeographySource {
  readonly name = 'geography';

  private constructor(
    private readonly byPrefix: Map<string, GeolocationRecord[]>,
    private readonly queryLog?: SourceQueryLog,
  ) {}

  static open(file: string, queryLog?: SourceQueryLog): GeographySource {
    const [header, ...records] = parseCsv(fs.readFileSync(file, 'utf8'));
    const names = header?.fields ?? [];
    const rows = records.map(({ fields, line }) => {
      if (fields.length !== names.length) throw new Error(`${file}: line ${line} has ${fields.length} fields, the header has ${names.length}`);
      const row: Record<string, string> = {};
      for (let k = 0; k < names.length; k++) row[names[k]] = fields[k];
      return row as unknown as GeolocationRecord;
    });
    const byPrefix = new Map<string, GeolocationRecord[]>();
    for (const row of rows) {
      const list = byPrefix.get(row.geolocation_zip_code_prefix);
      if (list) list.push(row);
      else byPrefix.set(row.geolocation_zip_code_prefix, [row]);
    }
    return new GeographySource(byPrefix, queryLog);
  }

  /** Every reference row, grouped by zip prefix (reconciliation scans). */
  allByPrefix(): ReadonlyMap<string, readonly GeolocationRecord[]> {
    return this.byPrefix;
  }

  async locationsByZipPrefixes(prefixes: readonly string[]): Promise<GeolocationRecord[][]> {
    this.queryLog?.record(this.name);
    return prefixes.map((prefix) => this.byPrefix.get(prefix) ?? []);
  }
}

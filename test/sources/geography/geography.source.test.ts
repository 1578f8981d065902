/** GeographySource over the seeded geolocation file, checked against the oracle computed from the CSV files. */
import { configFromEnv } from '../../../src/shared';
import { embeddedStorePaths, GeographySource, SourceQueryLog } from '../../../src/sources';
import { olistOracle, spreadSample, type GeolocationRow } from '../../helpers/olist-oracle';
import { counted, withUnknownAndDuplicate } from '../../helpers/seeded-sources';

const oracle = olistOracle();
const log = new SourceQueryLog();
let geography: GeographySource;

beforeAll(() => {
  oracle.preload('geolocation', 'customers', 'sellers');
  geography = GeographySource.open(embeddedStorePaths(configFromEnv().dataDir).geography, log);
});

const record = (row: GeolocationRow) => ({
  geolocation_zip_code_prefix: row.zipPrefix,
  geolocation_lat: row.lat,
  geolocation_lng: row.lng,
  geolocation_city: row.city,
  geolocation_state: row.state,
});

describe('GeographySource', () => {
  it("answers customers' and sellers' zip prefixes in key order with the raw text, as one look-up", async () => {
    const customerZips = spreadSample([...new Set(oracle.customers().map((c) => c.zipPrefix))].sort(), 30);
    const sellerZips = spreadSample([...new Set(oracle.sellers().map((s) => s.zipPrefix))].sort(), 10);
    const prefixes = withUnknownAndDuplicate([...customerZips, ...sellerZips], '00000');
    const { result, statements } = await counted(log, () => geography.locationsByZipPrefixes(prefixes));
    expect(statements).toEqual({ geography: 1 });
    const byPrefix = oracle.geolocationByPrefix();
    expect(result).toEqual(prefixes.map((prefix) => (byPrefix.get(prefix) ?? []).map(record)));
    expect(result.filter((rows) => rows.length > 0).length).toBeGreaterThan(30);
  });

  it('keys by the zero-padded text prefix and has nothing for prefixes the table lacks', async () => {
    const padded = oracle.geolocation().find((row) => row.zipPrefix.startsWith('0'))!;
    const missing = oracle.customers().find((c) => !oracle.geolocationByPrefix().has(c.zipPrefix))!;
    const [withZero, withoutZero, none] = await geography.locationsByZipPrefixes([padded.zipPrefix, String(Number(padded.zipPrefix)), missing.zipPrefix]);
    expect(withZero).toEqual([record(padded)]);
    expect(withoutZero).toEqual([]);
    expect(none).toEqual([]);
  });
});

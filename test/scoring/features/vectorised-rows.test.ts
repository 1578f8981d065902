/**
 * Vectorised recommendation rows (FeatureStore.recommendationRows: per-product template, per-state
 * cache, per-user values, per-candidate pair features) equal the row-at-a-time reading of the
 * feature definitions (referenceRecommendationRows) bit for bit, over many persons and candidate
 * lists, at two as-of times: returning and new persons, unknown persons and products, duplicates.
 */
import { FeatureStore, referenceRecommendationRows, rng } from '../../../src/scoring/features';
import type { Sources } from '../../../src/sources';
import { openSeededSources, UNKNOWN_ID, withUnknownAndDuplicate } from '../../helpers/seeded-sources';

/** Index of the first element that differs (Object.is: -0 and NaN count), -1 when equal. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('vectorised recommendation rows ↔ row-at-a-time reference', () => {
  let sources: Sources;
  let store: FeatureStore;

  beforeAll(async () => {
    ({ sources } = await openSeededSources());
    store = await FeatureStore.open(sources, { asOf: '2018-09-01' });
  }, 240_000);

  afterAll(async () => {
    await sources?.close();
  });

  for (const asOf of ['2018-09-01', '2017-12-15']) {
    it(`agree for 300 persons × their candidates and random products (as of ${asOf})`, () => {
      const at = store.at(asOf);
      const random = rng(asOf === '2018-09-01' ? 11 : 12);
      const persons = [...at.index.ordersByPerson.keys()];
      const products = [...at.index.snap.products.keys()];
      const returning = persons.filter((p) => at.index.ordersBefore(p, at.asOf).length > 1).slice(0, 100);
      const sample = [...returning, ...Array.from({ length: 200 }, () => persons[Math.floor(random() * persons.length)]), UNKNOWN_ID];
      let rows = 0;
      for (const personId of sample) {
        const candidates = [...at.candidatesFor(personId, 60), ...Array.from({ length: 40 }, () => products[Math.floor(random() * products.length)])];
        const list = withUnknownAndDuplicate(candidates);
        const expected = referenceRecommendationRows(at, personId, list);
        const actual = at.recommendationRows(personId, list);
        const at_ = firstDifference(actual, expected);
        if (at_ !== -1)
          throw new Error(
            `person ${personId}: row ${Math.floor(at_ / at.recommendationWidth)} column ${at_ % at.recommendationWidth}: ${actual[at_]} ≠ ${expected[at_]}`,
          );
        rows += list.length;
      }
      expect(rows).toBeGreaterThan(30_000);
    });
  }

  it('a second request for the same person answers the same rows (the caches change nothing)', () => {
    const personId = [...store.index.ordersByPerson.keys()][7];
    const list = store.candidatesFor(personId, 200);
    const first = store.recommendationRows(personId, list);
    expect(firstDifference(store.recommendationRows(personId, list), first)).toBe(-1);
    expect(
      firstDifference(
        store.recommendationRows(personId, [...list].reverse()).subarray(0, store.recommendationWidth),
        first.subarray((list.length - 1) * store.recommendationWidth),
      ),
    ).toBe(-1);
  });
});

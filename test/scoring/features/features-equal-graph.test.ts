/**
 * The scores and the graph see the same people and products: for 100 people and 100 products drawn
 * from the seeded full data, the attributes the features read from the serving feature store (the
 * person's profile account — zip prefix, state, location — and the product's category, measures,
 * photos and main seller's zip prefix, state, location) equal what the embedded gateway answers for the
 * same entity over real HTTP. The products include every one whose catalog record a cleaning rule
 * changes (a weight or dimension of 0, missing or impossible), so a snapshot that read the raw rows
 * again would fail here.
 */
import { productMeasureRule, MEASURE_LIMITS } from '../../../src/fusion';
import { servingFeatures, type ServingFeatures } from '../../../src/scoring';
import { rng } from '../../../src/scoring/features';
import { configFromEnv } from '../../../src/shared';
import { postQuery } from '../../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../../helpers/servers';

interface Point {
  latitude: number;
  longitude: number;
}
interface Place {
  zipPrefix: string | null;
  state: string | null;
  location: Point | null;
}
interface UserAnswer {
  user: { id: string; accounts: (Place & { customerId: string })[] } | null;
}
interface ProductAnswer {
  product: {
    id: string;
    category: { name: string } | null;
    weightGrams: number | null;
    lengthCm: number | null;
    heightCm: number | null;
    widthCm: number | null;
    photosCount: number | null;
  } | null;
}
interface SellerAnswer {
  seller: (Place & { id: string }) | null;
}

const PLACE = 'zipPrefix state location { latitude longitude }';
const USER = `query ($id: ID!) { user(id: $id) { id accounts { customerId ${PLACE} } } }`;
const PRODUCT = 'query ($id: ID!) { product(id: $id) { id category { name } weightGrams lengthCm heightCm widthCm photosCount } }';
const SELLER = `query ($id: ID!) { seller(id: $id) { id ${PLACE} } }`;

/** `count` distinct elements of `pool`, drawn with a seeded generator (the same every run). */
function sample<T>(pool: readonly T[], count: number, seed: number): T[] {
  const next = rng(seed);
  const copy = [...pool];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** What the graph says of a place, in the features' terms: [zip, state, [lat, lng] | null]. */
const graphPlace = (place: Place) => [place.zipPrefix, place.state, place.location ? [place.location.latitude, place.location.longitude] : null];
/** A feature number the graph shows as nullable: unknown is NaN in the features, null in the graph. */
const orNull = (value: number) => (Number.isNaN(value) ? null : value);

describe('the features read the same person and product attributes as the graph', () => {
  let server: EmbeddedTestServer;
  let features: ServingFeatures;
  let people: string[];
  let products: string[];

  beforeAll(async () => {
    server = await startEmbeddedTestServer();
    features = await servingFeatures(configFromEnv().dataDir, server.sources, null, () => undefined);
    const index = features.store.index;
    // People with orders: the features' profile of a person is the account of their first order.
    people = sample([...index.ordersByPerson.keys()].sort(), 100, 13);
    // Every product whose measures a cleaning rule changes, then sold products drawn at random.
    const records = await server.sources.catalog.allProducts();
    const cleaned = records
      .filter((p) =>
        (
          [
            ['weightGrams', p.weightG],
            ['lengthCm', p.lengthCm],
            ['heightCm', p.heightCm],
            ['widthCm', p.widthCm],
          ] as const
        ).some(([field, raw]) => raw !== null && productMeasureRule.apply(raw, MEASURE_LIMITS[field]).changed),
      )
      .map((p) => p.productId)
      .sort();
    const sold = [...new Set([...index.snap.items.values()].flatMap((items) => items.map((item) => item.productId)))].sort();
    products = [...new Set([...cleaned, ...sample(sold, 100, 17)])].slice(0, 100);
  }, 300_000);
  afterAll(() => server?.close());

  it('draws 100 people and 100 products, among them every product a measure rule cleans', () => {
    expect(new Set(people).size).toBe(100);
    expect(new Set(products).size).toBe(100);
    expect(products.length).toBeGreaterThan(0);
  });

  it("each person's profile account (zip prefix, state, location) is the graph's account of that person", async () => {
    for (const personId of people) {
      const profile = features.view.user(personId);
      const { body } = await postQuery<UserAnswer>(server.url, USER, { id: personId });
      expect(body.errors).toBeUndefined();
      const account = body.data!.user!.accounts.find((a) => a.customerId === profile.account?.customerId);
      expect({ personId, account: account && graphPlace(account) }).toEqual({
        personId,
        account: [profile.account!.zip, profile.account!.state, features.store.index.point(profile.account!.zip)],
      });
      expect(profile.state).toBe(account!.state ?? '?');
      expect(profile.point).toEqual(features.store.index.point(account!.zipPrefix));
    }
  });

  it("each product's category, measures and photos, and its main seller's place, are the graph's", async () => {
    for (const productId of products) {
      const profile = features.view.product(productId);
      const snap = profile.product!;
      const { body } = await postQuery<ProductAnswer>(server.url, PRODUCT, { id: productId });
      expect(body.errors).toBeUndefined();
      const graph = body.data!.product!;
      const volume = [graph.lengthCm, graph.heightCm, graph.widthCm].reduce<number>((v, cm) => v * (cm ?? Number.NaN), 1);
      expect({ productId, category: snap.category, weight: orNull(snap.weightG), volume: orNull(snap.volumeCm3), photos: orNull(snap.photos) }).toEqual({
        productId,
        category: graph.category?.name ?? null,
        weight: graph.weightGrams,
        volume: orNull(volume),
        photos: graph.photosCount,
      });
      expect(profile.category).toBe(graph.category?.name ?? '?');
      if (profile.seller === null) continue;
      const seller = await postQuery<SellerAnswer>(server.url, SELLER, { id: profile.seller.sellerId });
      expect(seller.body.errors).toBeUndefined();
      expect({ productId, seller: graphPlace(seller.body.data!.seller!) }).toEqual({
        productId,
        seller: [profile.seller.zip, profile.seller.state, features.store.index.point(profile.seller.zip)],
      });
    }
  });
});

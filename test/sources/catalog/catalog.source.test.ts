/** CatalogSource over the seeded catalog.db, checked against the oracle computed from the CSV files. */
import { olistOracle, type ProductRow, type SellerRow } from '../../helpers/olist-oracle';
import { counted, openSeededSources, UNKNOWN_ID, withUnknownAndDuplicate, type SeededSources } from '../../helpers/seeded-sources';

const oracle = olistOracle();
let seeded: SeededSources;

beforeAll(async () => {
  oracle.preload('products', 'sellers', 'categoryTranslations', 'orderItems', 'orders', 'reviews', 'geolocation');
  seeded = await openSeededSources();
});
afterAll(async () => {
  await seeded?.sources.close();
});

const productRecord = (row: ProductRow) => ({
  productId: row.productId,
  categoryName: row.categoryName,
  nameLength: row.nameLength,
  descriptionLength: row.descriptionLength,
  photosQty: row.photosQty,
  weightG: row.weightG,
  lengthCm: row.lengthCm,
  heightCm: row.heightCm,
  widthCm: row.widthCm,
});

const sellerRecord = (row: SellerRow) => ({ sellerId: row.sellerId, zipCodePrefix: row.zipPrefix, city: row.city, state: row.state });

describe('CatalogSource.productsByIds', () => {
  it('answers the sampled products in key order with raw fields, in one statement', async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleProductIds());
    const { result, statements } = await counted(seeded.log, () => seeded.sources.catalog.productsByIds(ids));
    expect(statements).toEqual({ catalog: 1 });
    expect(result).toEqual(ids.map((id) => (id === UNKNOWN_ID ? null : productRecord(oracle.product(id)!))));
    expect(result.some((p) => p !== null && p.categoryName === null)).toBe(true);
    expect(result.some((p) => p !== null && p.categoryName !== null && oracle.categoryNameEn(p.categoryName) === null)).toBe(true);
  });

  it('answers 500 ids in one statement', async () => {
    const ids = oracle.productIds().slice(-500);
    const { result, statements } = await counted(seeded.log, () => seeded.sources.catalog.productsByIds(ids));
    expect(statements).toEqual({ catalog: 1 });
    expect(result.map((p) => p?.productId)).toEqual(ids);
  });
});

describe('CatalogSource.sellersByIds', () => {
  it('answers the sampled sellers in key order, zip prefixes as text, in one statement', async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleSellerIds());
    const { result, statements } = await counted(seeded.log, () => seeded.sources.catalog.sellersByIds(ids));
    expect(statements).toEqual({ catalog: 1 });
    expect(result).toEqual(ids.map((id) => (id === UNKNOWN_ID ? null : sellerRecord(oracle.seller(id)!))));
    const leadingZero = oracle.sellers().find((s) => s.zipPrefix.startsWith('0'))!;
    expect((await seeded.sources.catalog.sellersByIds([leadingZero.sellerId]))[0]?.zipCodePrefix).toBe(leadingZero.zipPrefix);
  });
});

describe('CatalogSource.categoryTranslations', () => {
  it('answers the whole translation table sorted by Portuguese name', async () => {
    const expected = oracle
      .categoryTranslations()
      .map((t) => ({ categoryName: t.categoryName, categoryNameEnglish: t.english }))
      .sort((a, b) => (a.categoryName < b.categoryName ? -1 : 1));
    const { result, statements } = await counted(seeded.log, () => seeded.sources.catalog.categoryTranslations());
    expect(statements).toEqual({ catalog: 1 });
    expect(result).toEqual(expected);
  });
});

describe('CatalogSource.productsPage / countProducts', () => {
  it('pages through all products in id order', async () => {
    const all = oracle.productIds();
    const first = await seeded.sources.catalog.productsPage({ limit: 30 });
    expect(first.map((p) => p.productId)).toEqual(all.slice(0, 30));
    const { result: next, statements } = await counted(seeded.log, () =>
      seeded.sources.catalog.productsPage({ limit: 30, afterProductId: first[29].productId }),
    );
    expect(statements).toEqual({ catalog: 1 });
    expect(next.map((p) => p.productId)).toEqual(all.slice(30, 60));
    expect(next[0]).toEqual(productRecord(oracle.product(all[30])!));
  });

  it('pages through one raw category and through several at once', async () => {
    const categories = oracle.productCategories();
    const untranslated = oracle.untranslatedCategories()[0];
    const expected = oracle.productIds(untranslated);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await seeded.sources.catalog.productsPage({ categoryNames: [untranslated], limit: 4, afterProductId: after });
      seen.push(...page.map((p) => p.productId));
      if (page.length < 4) break;
      after = page[page.length - 1].productId;
    }
    expect(seen).toEqual(expected);
    const pair = [categories[3], categories[10]];
    const union = [...oracle.productIds(pair[0]), ...oracle.productIds(pair[1])].sort();
    const page = await seeded.sources.catalog.productsPage({ categoryNames: pair, limit: 50 });
    expect(page.map((p) => p.productId)).toEqual(union.slice(0, 50));
    expect(await seeded.sources.catalog.productsPage({ categoryNames: ['no_such_category'], limit: 5 })).toEqual([]);
  });

  it('counts products overall and per raw category', async () => {
    expect(await seeded.sources.catalog.countProducts()).toBe(oracle.products().length);
    const categories = oracle.productCategories();
    const counts = await Promise.all(categories.map((name) => seeded.sources.catalog.countProducts([name])));
    expect(counts).toEqual(categories.map((name) => oracle.productsInCategoryCount(name)));
    expect(await seeded.sources.catalog.countProducts(categories.slice(0, 3))).toBe(
      categories.slice(0, 3).reduce((acc, name) => acc + oracle.productsInCategoryCount(name), 0),
    );
    expect(await seeded.sources.catalog.countProducts([])).toBe(0);
  });
});

/**
 * createSourceLoaders over the seeded stores: loads made in the same tick reach each source as one batch
 * (one statement), answers match the oracle, and every request gets its own cache.
 */
import { createSourceLoaders } from '../../src/sources';
import { olistOracle } from '../helpers/olist-oracle';
import { counted, openSeededSources, UNKNOWN_ID, type SeededSources } from '../helpers/seeded-sources';

const oracle = olistOracle();
let seeded: SeededSources;

beforeAll(async () => {
  oracle.preload('customers', 'orders', 'orderItems', 'orderPayments', 'reviews', 'products', 'sellers', 'geolocation', 'categoryTranslations');
  seeded = await openSeededSources();
});
afterAll(async () => {
  await seeded?.sources.close();
});

describe('createSourceLoaders', () => {
  it('batches same-tick loads of every loader into one statement per source', async () => {
    const loaders = createSourceLoaders(seeded.sources);
    const users = oracle.sampleUserIds();
    const orders = oracle.sampleOrderIds();
    const products = oracle.sampleProductIds();
    const sellers = oracle.sampleSellerIds();
    const accounts = users.flatMap((id) => oracle.user(id)!.accounts.map((a) => a.customerId));
    const { result, statements } = await counted(seeded.log, () =>
      Promise.all([
        Promise.all(users.map((id) => loaders.accountsByPersonId.load(id))),
        Promise.all(accounts.map((id) => loaders.accountById.load(id))),
        Promise.all(orders.map((id) => loaders.orderById.load(id))),
        Promise.all(orders.map((id) => loaders.itemsByOrderId.load(id))),
        Promise.all(orders.map((id) => loaders.paymentsByOrderId.load(id))),
        Promise.all(orders.map((id) => loaders.reviewsByOrderId.load(id))),
        Promise.all(products.map((id) => loaders.productById.load(id))),
        Promise.all(products.map((id) => loaders.itemsByProductId.load(id))),
        Promise.all(sellers.map((id) => loaders.sellerById.load(id))),
        Promise.all(sellers.map((id) => loaders.productIdsBySellerId.load(id))),
        Promise.all(accounts.map((id) => loaders.ordersByCustomerId.load(id))),
        Promise.all(accounts.map((id) => loaders.locationsByZipPrefix.load(oracle.account(id)!.zipPrefix))),
      ]),
    );
    // crm: accountsByPersonId + accountById; catalog: products + sellers;
    // orders: orders, items by order, payments, items by product, products by seller, orders by customer.
    expect(statements).toEqual({ crm: 2, catalog: 2, orders: 6, reviews: 1, geography: 1 });
    const [byPerson, byAccount, byOrder, items, payments, reviews, byProduct, productItems, bySeller, sellerProducts, customerOrders] = result;
    expect(byPerson.map((list) => list.map((a) => a.customerId))).toEqual(users.map((id) => oracle.user(id)!.accounts.map((a) => a.customerId)));
    expect(byAccount.map((a) => a?.customerUniqueId)).toEqual(accounts.map((id) => oracle.account(id)!.personId));
    expect(byOrder.map((o) => o?.status)).toEqual(orders.map((id) => oracle.order(id)!.status));
    expect(items.map((list) => list.map((i) => i.orderItemId))).toEqual(orders.map((id) => oracle.order(id)!.items.map((i) => i.orderItemId)));
    expect(payments.map((list) => list.map((p) => p.paymentValue))).toEqual(orders.map((id) => oracle.order(id)!.payments.map((p) => p.value)));
    expect(reviews.map((list) => list.map((r) => r.document.review_score))).toEqual(orders.map((id) => oracle.order(id)!.reviews.map((r) => r.score)));
    expect(byProduct.map((p) => p?.categoryName)).toEqual(products.map((id) => oracle.product(id)!.categoryName));
    expect(productItems.map((list) => new Set(list.map((i) => i.orderId)).size)).toEqual(products.map((id) => oracle.product(id)!.orderCount));
    expect(bySeller.map((s) => s?.sellerId)).toEqual(sellers);
    expect(sellerProducts).toEqual(sellers.map((id) => oracle.seller(id)!.products));
    expect(customerOrders.map((list) => list.map((o) => o.orderId))).toEqual(
      accounts.map((id) => (oracle.ordersByCustomerId().get(id) ?? []).map((o) => o.orderId)),
    );
  });

  it('caches per loader set: repeated keys cost nothing, a new set queries again', async () => {
    const ids = oracle.sampleOrderIds().slice(0, 10);
    const loaders = createSourceLoaders(seeded.sources);
    const first = await counted(seeded.log, () => Promise.all([...ids, ...ids, UNKNOWN_ID].map((id) => loaders.orderById.load(id))));
    expect(first.statements).toEqual({ orders: 1 });
    expect(first.result.at(-1)).toBeNull();
    const again = await counted(seeded.log, () => Promise.all(ids.map((id) => loaders.orderById.load(id))));
    expect(again.statements).toEqual({});
    expect(again.result).toEqual(first.result.slice(0, 10));
    const fresh = createSourceLoaders(seeded.sources);
    const other = await counted(seeded.log, () => fresh.orderById.loadMany(ids));
    expect(other.statements).toEqual({ orders: 1 });
  });

  it('splits more than 500 keys into batches of at most 500', async () => {
    const ids = oracle.orderIdsByPurchase().slice(0, 1200);
    const loaders = createSourceLoaders(seeded.sources);
    const { result, statements } = await counted(seeded.log, () => Promise.all(ids.map((id) => loaders.orderById.load(id))));
    expect(statements).toEqual({ orders: 3 });
    expect(result.map((o) => o?.orderId)).toEqual(ids);
  });
});

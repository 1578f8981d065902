/**
 * Roles × operations over real HTTP against the embedded gateway on the seeded stores: what each role
 * may read (allowed), sees masked, is refused (FORBIDDEN, the field null) or sees row-filtered — and the
 * ways an attacker tries to reach another customer's or another partner's rows: nested paths, aliases,
 * fragments, variables, reused and forged pagination cursors.
 */
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { pseudonymKeyOf, pseudonymOf } from '../../src/security';
import { configFromEnv, encodeCursor } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { openTestSources } from '../helpers/backends';
import { ANONYMOUS_CALLER, apiKeyCredential, type Credential } from '../helpers/credentials';
import { postQuery, type HttpGraphQLResponse } from '../helpers/graphql-client';
import { pickData, securityFixture, type DataFixture, type SecurityFixture } from './security-fixtures';

let sources: Sources;
let server: RunningServer;
let fixture: SecurityFixture;
let data: DataFixture;
const as = {} as Record<'anonymous' | 'alice' | 'bob' | 'frontend' | 'bi' | 'biPii' | 'partner' | 'partnerKey' | 'otherPartner' | 'admin', Credential>;

beforeAll(async () => {
  sources = await openTestSources();
  fixture = securityFixture();
  server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, config: fixture.config, scoring: false });
  data = await pickData(sources);
  as.anonymous = ANONYMOUS_CALLER;
  as.alice = await fixture.token({ role: 'customer', subject: data.alice.personId });
  as.bob = await fixture.token({ role: 'customer', subject: data.bob.personId });
  as.frontend = await fixture.token({ role: 'frontend-service', subject: 'storefront' });
  as.bi = await fixture.token({ role: 'bi', subject: 'dashboards' });
  as.biPii = await fixture.token({ role: 'bi', subject: 'dashboards', scopes: ['pii:read'] });
  as.partner = await fixture.token({ role: 'partner', subject: 'integration', sellerId: data.seller.id });
  as.partnerKey = apiKeyCredential(fixture.keys.issue(data.seller.id, 'matrix').key);
  as.otherPartner = await fixture.token({ role: 'partner', subject: 'integration-2', sellerId: data.otherSeller.id });
  as.admin = await fixture.token({ role: 'admin', subject: 'ops' });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await sources?.close();
  fixture?.remove();
});

type Body = { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
async function ask(who: Credential, query: string, variables?: Record<string, unknown>): Promise<Body> {
  const response: HttpGraphQLResponse<Record<string, any>> = await postQuery(server.url, query, variables, who);
  expect(response.status).toBe(200);
  return response.body as Body;
}
const codes = (body: Body) => (body.errors ?? []).map((error) => `${error.path?.join('.')}:${error.extensions?.code}`);

const USER = `query($id: ID!) { user(id: $id) { id orderCount accounts { customerId zipPrefix city state location { latitude longitude } } } }`;

describe('field level: allowed, masked, forbidden', () => {
  test.each([
    ['anonymous', false],
    ['frontend', false],
    ['partner', false],
    ['alice', false],
    ['bi', true],
    ['admin', true],
  ] as const)('users listing as %s: allowed=%s', async (who, allowed) => {
    const body = await ask(as[who], '{ users(first: 3) { edges { node { id } } } }');
    if (allowed) {
      expect(body.errors).toBeUndefined();
      expect(body.data!.users.edges).toHaveLength(3);
    } else {
      expect(codes(body)).toEqual(['users:FORBIDDEN']);
      expect(body.data).toEqual({ users: null });
    }
  });

  test('a customer reads their own person and accounts unmasked; BI sees the same accounts masked; pii:read lifts the mask', async () => {
    const own = await ask(as.alice, USER, { id: data.alice.personId });
    const admin = await ask(as.admin, USER, { id: data.alice.personId });
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual(admin.data);
    const accounts = admin.data!.user.accounts as { customerId: string; zipPrefix: string; city: string | null; state: string; location: unknown }[];
    expect(accounts.map((account) => account.customerId).sort()).toEqual([...data.alice.accountIds].sort());

    const bi = await ask(as.bi, USER, { id: data.alice.personId });
    expect(bi.errors).toBeUndefined();
    expect(bi.data!.user.accounts).toEqual(
      accounts.map((account) => ({ ...account, zipPrefix: `${account.zipPrefix.slice(0, 2)}***`, city: null, location: null })),
    );
    expect(await ask(as.biPii, USER, { id: data.alice.personId })).toEqual(admin);
  });

  test('BI sees raw values in provenance only with pii:read', async () => {
    const query = `query($id: ID!) { user(id: $id) { accounts { provenance { field source rawValue } flags { rule } } } }`;
    const admin = await ask(as.admin, query, { id: data.alice.personId });
    const bi = await ask(as.bi, query, { id: data.alice.personId });
    const rawValues = (body: Body) =>
      (body.data!.user.accounts as { provenance: { rawValue: string | null }[] }[]).flatMap((a) => a.provenance.map((p) => p.rawValue));
    expect(rawValues(admin).some((value) => value !== null)).toBe(true);
    expect(rawValues(bi).every((value) => value === null)).toBe(true);
    expect(rawValues(await ask(as.biPii, query, { id: data.alice.personId }))).toEqual(rawValues(admin));
  });

  test('the storefront service reads a person only as far as recommendations go', async () => {
    const body = await ask(as.frontend, `query($id: ID!) { user(id: $id) { id orderCount totalSpent } }`, { id: data.alice.personId });
    expect(body.data!.user).toEqual({ id: data.alice.personId, orderCount: null, totalSpent: null });
    expect(codes(body).sort()).toEqual(['user.orderCount:FORBIDDEN', 'user.totalSpent:FORBIDDEN']);
    // A forbidden non-null field nulls its nearest nullable parent, never showing a value.
    const accounts = await ask(as.frontend, `query($id: ID!) { user(id: $id) { id accounts { zipPrefix } } }`, { id: data.alice.personId });
    expect(accounts.data).toEqual({ user: null });
    expect(codes(accounts)).toEqual(['user.accounts:FORBIDDEN']);
  });

  test('anonymous callers read the public catalog, not reviews, orders or people', async () => {
    const catalog = await ask(as.anonymous, `query($id: ID!) { product(id: $id) { id averageRating category { name } sellers { id city } } }`, {
      id: data.sharedProduct,
    });
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data!.product.id).toBe(data.sharedProduct);
    const reviews = await ask(as.anonymous, `query($id: ID!) { product(id: $id) { id reviews(first: 1) { totalCount } } }`, { id: data.sharedProduct });
    expect(codes(reviews)).toEqual(['product.reviews:FORBIDDEN']);
    for (const query of [
      '{ orders(first: 1) { totalCount } }',
      `{ order(id: "${data.bob.orderId}") { id } }`,
      `{ user(id: "${data.bob.personId}") { id } }`,
      '{ dataQuality { balanced } }',
    ]) {
      const body = await ask(as.anonymous, query);
      expect(codes(body)).toHaveLength(1);
      expect(codes(body)[0]).toMatch(/:FORBIDDEN$/);
    }
  });

  test('aggregates: BI reads the reconciliation report, a customer and a partner may not', async () => {
    expect((await ask(as.bi, '{ dataQuality { balanced } }')).errors).toBeUndefined();
    expect(codes(await ask(as.alice, '{ dataQuality { balanced } }'))).toEqual(['dataQuality:FORBIDDEN']);
    expect(codes(await ask(as.partner, '{ dataQuality { balanced } }'))).toEqual(['dataQuality:FORBIDDEN']);
  });

  test("a customer may not ask for another person's product score", async () => {
    const body = await ask(as.alice, `query($p: ID!, $u: ID!) { product(id: $p) { id score(userId: $u) { value } } }`, {
      p: data.sharedProduct,
      u: data.bob.personId,
    });
    expect(body.data!.product).toEqual({ id: data.sharedProduct, score: null });
    expect(codes(body)).toEqual(['product.score:FORBIDDEN']);
  });
});

describe('row level: customers', () => {
  const ORDERS = `query($first: Int, $after: String) { orders(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }`;

  test("the orders listing holds exactly the customer's own orders (scope pushed into the source query)", async () => {
    const body = await ask(as.alice, ORDERS, { first: 100 });
    expect(body.errors).toBeUndefined();
    const ids = (body.data!.orders.edges as { node: { id: string } }[]).map((edge) => edge.node.id);
    expect([...ids].sort()).toEqual(data.alice.orderIds);
    expect(body.data!.orders.totalCount).toBe(data.alice.orderIds.length);
  });

  test("another customer's order or person by id is null, exactly like an unknown id", async () => {
    const unknown = 'f'.repeat(32);
    for (const [query, id] of [
      [`query($id: ID!) { order(id: $id) { id } }`, data.bob.orderId],
      [`query($id: ID!) { order(id: $id) { id } }`, unknown],
      [`query($id: ID!) { user(id: $id) { id } }`, data.bob.personId],
      [`query($id: ID!) { user(id: $id) { id } }`, unknown],
    ] as const) {
      expect(await ask(as.alice, query, { id })).toEqual({ data: { [query.includes('order') ? 'order' : 'user']: null } });
    }
    // By one of Bob's account ids (user(id) accepts account ids too).
    const bobAccount = (await ask(as.admin, USER, { id: data.bob.personId })).data!.user.accounts[0].customerId;
    expect(await ask(as.alice, `query($id: ID!) { user(id: $id) { id } }`, { id: bobAccount })).toEqual({ data: { user: null } });
  });

  test('aliases and fragments reach no further than a plain field', async () => {
    const body = await ask(
      as.alice,
      `fragment Person on User { id orderCount accounts { zipPrefix } }
       fragment Bought on Order { id customer { ...Person } }
       query($mine: ID!, $theirs: ID!, $them: ID!) {
         mine: order(id: $mine) { ...Bought }
         theirs: order(id: $theirs) { ...Bought }
         alsoTheirs: order(id: $theirs) { ... on Order { items { price } } }
         them: user(id: $them) { ...Person }
         me: user(id: $mine) { id }
       }`,
      { mine: data.alice.orderIds[0], theirs: data.bob.orderId, them: data.bob.personId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.mine.id).toBe(data.alice.orderIds[0]);
    expect(body.data!.mine.customer.id).toBe(data.alice.personId);
    expect(body.data!.theirs).toBeNull();
    expect(body.data!.alsoTheirs).toBeNull();
    expect(body.data!.them).toBeNull();
    expect(body.data!.me).toBeNull();
  });

  test("nested paths: product → reviews → order → customer → orders shows only the customer's own rows", async () => {
    const body = await ask(
      as.alice,
      `query($id: ID!) { product(id: $id) { reviews(first: 100) { totalCount edges { node { score order { id customer { id orders(first: 100) { edges { node { id } } } } } } } } } }`,
      { id: data.sharedProduct },
    );
    expect(body.errors).toBeUndefined();
    const reviews = body.data!.product.reviews.edges as {
      node: { order: { id: string; customer: { id: string; orders: { edges: { node: { id: string } }[] } } } };
    }[];
    const adminReviews = await ask(as.admin, `query($id: ID!) { product(id: $id) { reviews(first: 100) { totalCount } } }`, { id: data.sharedProduct });
    expect(adminReviews.data!.product.reviews.totalCount).toBeGreaterThan(body.data!.product.reviews.totalCount);
    for (const { node } of reviews) {
      expect(data.alice.orderIds).toContain(node.order.id);
      expect(node.order.customer.id).toBe(data.alice.personId);
      for (const edge of node.order.customer.orders.edges) expect(data.alice.orderIds).toContain(edge.node.id);
    }
  });

  test("Bob's own view is Bob's: the same nested query as Bob never shows Alice's orders", async () => {
    const body = await ask(as.bob, `query($id: ID!) { order(id: $id) { id customer { id orders(first: 100) { edges { node { id } } } } } }`, {
      id: data.bob.orderId,
    });
    expect(body.errors).toBeUndefined();
    const ids = (body.data!.order.customer.orders.edges as { node: { id: string } }[]).map((edge) => edge.node.id);
    expect(ids).toContain(data.bob.orderId);
    for (const id of ids) expect(data.alice.orderIds).not.toContain(id);
  });

  test("a cursor taken from an admin listing, or forged, never pages into other customers' orders", async () => {
    const adminPage = await ask(as.admin, ORDERS, { first: 50 });
    const reused = await ask(as.alice, ORDERS, { first: 100, after: adminPage.data!.orders.pageInfo.endCursor });
    const forged = await ask(as.alice, ORDERS, { first: 100, after: encodeCursor(['0000-00-00 00:00:00', '0'.repeat(32)]) });
    for (const body of [reused, forged]) {
      expect(body.errors).toBeUndefined();
      for (const edge of body.data!.orders.edges as { node: { id: string } }[]) expect(data.alice.orderIds).toContain(edge.node.id);
    }
    expect((forged.data!.orders.edges as unknown[]).length).toBe(data.alice.orderIds.length);
  });
});

describe('row level: partners', () => {
  test.each(['partner', 'partnerKey'] as const)('%s: the orders listing holds only orders with its lines, each showing only its lines', async (who) => {
    const body = await ask(as[who], `{ orders(first: 100) { totalCount edges { node { id itemsTotal items { price seller { id } product { id } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.orders.totalCount).toBe(data.seller.orderIds.length);
    const orders = body.data!.orders.edges as {
      node: { id: string; itemsTotal: number; items: { price: number; seller: { id: string }; product: { id: string } }[] };
    }[];
    expect(orders.length).toBe(Math.min(100, data.seller.orderIds.length));
    for (const { node } of orders) {
      expect(data.seller.orderIds).toContain(node.id);
      expect(node.items.length).toBeGreaterThan(0);
      for (const item of node.items) {
        expect(item.seller.id).toBe(data.seller.id);
        expect(data.seller.productIds).toContain(item.product.id);
      }
      expect(node.itemsTotal).toBeCloseTo(
        node.items.reduce((sum, item) => sum + item.price, 0),
        2,
      );
    }
  });

  test('the mixed order: its own lines only, no payments, the customer pseudonymised', async () => {
    const query = `query($id: ID!) { order(id: $id) { id items { seller { id } } customer { id } } }`;
    const partner = await ask(as.partner, query, { id: data.seller.mixedOrderId });
    const admin = await ask(as.admin, query, { id: data.seller.mixedOrderId });
    expect(partner.errors).toBeUndefined();
    expect(admin.data!.order.items.length).toBeGreaterThan(data.seller.lineCountInMixed);
    expect(partner.data!.order.items).toEqual(Array.from({ length: data.seller.lineCountInMixed }, () => ({ seller: { id: data.seller.id } })));
    for (const field of ['payments { value }', 'paymentTotal', 'total']) {
      const refused = await ask(as.partner, `query($id: ID!) { order(id: $id) { id ${field} } }`, { id: data.seller.mixedOrderId });
      expect(refused.data).toEqual({ order: null });
      expect(codes(refused)).toEqual([`order.${field.split(' ')[0]}:FORBIDDEN`]);
    }
    const realPerson = admin.data!.order.customer.id as string;
    const pseudonym = partner.data!.order.customer.id as string;
    expect(pseudonym).toMatch(/^[0-9a-f]{32}$/);
    expect(pseudonym).not.toBe(realPerson);
    expect(pseudonym).toBe(pseudonymOf(pseudonymKeyOf(fixture.security.pseudonymSecret!, data.seller.id), realPerson));
    // Stable for one partner (token or API key), different for the other seller of the same order.
    const viaKey = await ask(as.partnerKey, query, { id: data.seller.mixedOrderId });
    expect(viaKey.data!.order.customer.id).toBe(pseudonym);
    const other = await ask(as.otherPartner, query, { id: data.seller.mixedOrderId });
    expect(other.data!.order.customer.id).toMatch(/^[0-9a-f]{32}$/);
    expect(other.data!.order.customer.id).not.toBe(pseudonym);
    expect(other.data!.order.customer.id).not.toBe(realPerson);
  });

  test("a partner cannot follow the pseudonymised customer to the person's data", async () => {
    const body = await ask(as.partner, `query($id: ID!) { order(id: $id) { customer { id orderCount orders(first: 5) { totalCount } } } }`, {
      id: data.seller.mixedOrderId,
    });
    expect(body.data!.order.customer).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), orderCount: null, orders: null });
    expect(codes(body).sort()).toEqual(['order.customer.orderCount:FORBIDDEN', 'order.customer.orders:FORBIDDEN']);
    const accounts = await ask(as.partner, `query($id: ID!) { order(id: $id) { id customer { accounts { zipPrefix city } } } }`, {
      id: data.seller.mixedOrderId,
    });
    expect(accounts.data!.order).toEqual({ id: data.seller.mixedOrderId, customer: null });
    expect(codes(accounts)).toEqual(['order.customer.accounts:FORBIDDEN']);
    expect(codes(await ask(as.partner, `query($id: ID!) { user(id: $id) { id } }`, { id: data.alice.personId }))).toEqual(['user:FORBIDDEN']);
  });

  test("another seller's order, product or seller by id, alias or fragment is null", async () => {
    const body = await ask(
      as.partner,
      `fragment P on Product { id reviews(first: 5) { totalCount } }
       query($order: ID!, $product: ID!, $seller: ID!, $own: ID!) {
         order(id: $order) { id }
         viaAlias: order(id: $order) { items { price } }
         product(id: $product) { ...P }
         seller(id: $seller) { id products(first: 5) { edges { node { id } } } }
         ownSeller: seller(id: $own) { id }
       }`,
      { order: data.foreignOrderId, product: data.foreignProductId, seller: data.otherSeller.id, own: data.seller.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ order: null, viaAlias: null, product: null, seller: null, ownSeller: { id: data.seller.id } });
  });

  test('the products listing holds exactly its own products, and a reused admin cursor pages only within them', async () => {
    const body = await ask(as.partner, `{ products(first: 100) { totalCount edges { node { id } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.products.totalCount).toBe(data.seller.productIds.length);
    expect((body.data!.products.edges as { node: { id: string } }[]).map((edge) => edge.node.id)).toEqual(data.seller.productIds.slice(0, 100));
    const adminPage = await ask(as.admin, `{ products(first: 10) { pageInfo { endCursor } } }`);
    const reused = await ask(as.partner, `query($after: String) { products(first: 100, after: $after) { edges { node { id } } } }`, {
      after: adminPage.data!.products.pageInfo.endCursor,
    });
    for (const edge of reused.data!.products.edges as { node: { id: string } }[]) expect(data.seller.productIds).toContain(edge.node.id);
    const ordersAfter = await ask(as.partner, `query($after: String) { orders(first: 100, after: $after) { edges { node { id } } } }`, {
      after: encodeCursor(['0000-00-00 00:00:00', '0'.repeat(32)]),
    });
    for (const edge of ordersAfter.data!.orders.edges as { node: { id: string } }[]) expect(data.seller.orderIds).toContain(edge.node.id);
  });

  test("its own product's sellers list only itself, and its reviews lead only to orders with its lines", async () => {
    const product = data.seller.productIds[0];
    const body = await ask(
      as.partner,
      `query($id: ID!) { product(id: $id) { sellers { id } reviews(first: 100) { edges { node { score order { id items { seller { id } } } } } } } }`,
      {
        id: product,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.product.sellers).toEqual([{ id: data.seller.id }]);
    for (const { node } of body.data!.product.reviews.edges as { node: { order: { id: string; items: { seller: { id: string } }[] } } }[]) {
      expect(data.seller.orderIds).toContain(node.order.id);
      for (const item of node.order.items) expect(item.seller.id).toBe(data.seller.id);
    }
  });
});

test("a product several sellers sold: its reviews lead a partner only to orders with the partner's lines", async () => {
  const query = `query($id: ID!) { product(id: $id) { sellers { id } reviews(first: 100) { totalCount edges { node { order { id } } } } } }`;
  const partner = await ask(await fixture.token({ role: 'partner', subject: 'co-seller', sellerId: data.coSold.sellerId }), query, {
    id: data.coSold.productId,
  });
  const admin = await ask(as.admin, query, { id: data.coSold.productId });
  expect(partner.errors).toBeUndefined();
  expect(admin.data!.product.sellers.length).toBeGreaterThan(1);
  expect(partner.data!.product.sellers).toEqual([{ id: data.coSold.sellerId }]);
  expect(admin.data!.product.reviews.totalCount).toBeGreaterThan(partner.data!.product.reviews.totalCount);
  for (const edge of partner.data!.product.reviews.edges as { node: { order: { id: string } } }[])
    expect(data.coSold.sellerOrderIds).toContain(edge.node.order.id);
});

describe('BI and admin see every row', () => {
  test.each(['bi', 'admin'] as const)('%s reads any order and person', async (who) => {
    const body = await ask(as[who], `query($o: ID!, $u: ID!) { order(id: $o) { id payments { value } } user(id: $u) { id orderCount } }`, {
      o: data.bob.orderId,
      u: data.alice.personId,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.order.id).toBe(data.bob.orderId);
    expect(body.data!.user.orderCount).toBe(data.alice.orderIds.length);
  });
});

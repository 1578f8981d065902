import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/shared';
import { postQuery } from '../helpers/graphql-client';
import { olistOracle } from '../helpers/olist-oracle';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

interface Flag {
  rule: string;
  field: string;
  message: string;
}
interface Provenance {
  field: string;
  source: string;
  record: string;
  rawValue: string | null;
  rules: string[];
  policy: string | null;
}

/** Provenance, flags, conflict policies and the reconciliation report, as clients see them. */
describe('fusion in the graph', () => {
  const oracle = olistOracle();
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(() => server.close());

  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await postQuery<T>(server.url, text, variables);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!;
  }

  it('an order shows where each field came from and which rules changed it', async () => {
    const expected = oracle.orders().find((o) => o.status === 'delivered' && o.deliveredCustomerDate !== null)!;
    const { order } = await query<{ order: { provenance: Provenance[] } }>(
      'query($id: ID!) { order(id: $id) { provenance { field source record rawValue rules policy } } }',
      { id: expected.orderId },
    );
    const byField = Object.fromEntries(order.provenance.map((p) => [p.field, p]));
    expect(byField.deliveredAt).toEqual({
      field: 'deliveredAt',
      source: 'orders',
      record: `orders/${expected.orderId}`,
      rawValue: expected.deliveredCustomerDate,
      rules: ['timestamp.iso'],
      policy: null,
    });
    expect(byField.status).toMatchObject({ rawValue: 'delivered', rules: [] });
  });

  it('flags orders the rules find wrong, and says why', async () => {
    const multiple = [...oracle.reviewsByOrderId()].find(([, reviews]) => reviews.length > 1)![0];
    const undelivered = oracle.orders().find((o) => o.status === 'delivered' && o.deliveredCustomerDate === null)!.orderId;
    const { a, b } = await query<{ a: { flags: Flag[] }; b: { flags: Flag[]; deliveredAt: string | null } }>(
      `query($a: ID!, $b: ID!) { a: order(id: $a) { flags { rule field message } } b: order(id: $b) { deliveredAt flags { rule field message } } }`,
      { a: multiple, b: undelivered },
    );
    expect(a.flags.map((f) => f.rule)).toContain('order.multiple_reviews');
    expect(b.deliveredAt).toBeNull();
    expect(b.flags).toContainEqual(expect.objectContaining({ rule: 'order.expected_dates', field: 'status', message: expect.stringContaining('deliveredAt') }));
  });

  it('resolves a seller city the catalog garbled from the geography reference, by declared policy', async () => {
    const seller = oracle.sellers().find((s) => /^\d+$/.test(s.city))!;
    const { seller: answer } = await query<{ seller: { city: string | null; flags: Flag[]; provenance: Provenance[] } }>(
      'query($id: ID!) { seller(id: $id) { city flags { rule field } provenance { field source record rawValue policy } } }',
      { id: seller.sellerId },
    );
    const reference = oracle.geolocationByPrefix().get(seller.zipPrefix)![0];
    expect(answer.city).toBe(reference.city);
    expect(answer.flags).toContainEqual({ rule: 'city.normalise', field: 'city' });
    expect(answer.provenance.find((p) => p.field === 'city')).toEqual({
      field: 'city',
      source: 'geography',
      record: `geolocation/${seller.zipPrefix}`,
      rawValue: seller.city,
      policy: 'city.source_priority',
    });
  });

  it('links every CRM account to its person with the rule and confidence', async () => {
    const person = [...oracle.users().values()].find((u) => u.accounts.length > 2)!;
    const { user } = await query<{ user: { accounts: { customerId: string; system: string; link: { rule: string; confidence: number } }[] } }>(
      'query($id: ID!) { user(id: $id) { accounts { customerId system link { rule confidence } } } }',
      { id: person.accounts[1].customerId },
    );
    expect(user.accounts).toEqual(
      person.accounts.map((a) => ({ customerId: a.customerId, system: 'crm', link: { rule: 'exact:customer_unique_id', confidence: 1 } })),
    );
  });

  it('lists every rule and policy, and the README documents each one', async () => {
    const { fusionRules } = await query<{ fusionRules: { name: string; kind: string; examples: unknown[] }[] }>(
      '{ fusionRules { name kind examples { input output } } }',
    );
    expect(new Set(fusionRules.map((r) => r.kind))).toEqual(new Set(['cleaning', 'identity', 'policy']));
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const rule of fusionRules) {
      expect(rule.examples.length).toBeGreaterThan(0);
      expect({ rule: rule.name, documented: readme.includes(`\`${rule.name}\``) }).toEqual({ rule: rule.name, documented: true });
    }
  });

  it('answers the reconciliation report over the full data, balanced', async () => {
    const { dataQuality } = await query<{
      dataQuality: { balanced: boolean; tables: { table: string; read: number; served: number; merged: number; rejected: number }[] };
    }>('{ dataQuality { balanced tables { table read served merged rejected } } }');
    expect(dataQuality.balanced).toBe(true);
    expect(dataQuality.tables.find((t) => t.table === 'orders')!.read).toBe(oracle.orders().length);
    for (const t of dataQuality.tables) expect(t.served + t.merged + t.rejected).toBe(t.read);
  }, 120_000);
});

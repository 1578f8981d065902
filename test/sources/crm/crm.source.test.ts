/** CrmSource over the seeded crm.db, checked against the oracle computed from the CSV files. */
import { olistOracle, type CustomerRow } from '../../helpers/olist-oracle';
import { counted, openSeededSources, UNKNOWN_ID, withUnknownAndDuplicate, type SeededSources } from '../../helpers/seeded-sources';

const oracle = olistOracle();
let seeded: SeededSources;

beforeAll(async () => {
  oracle.preload('customers', 'orders', 'orderPayments');
  seeded = await openSeededSources();
});
afterAll(async () => {
  await seeded?.sources.close();
});

const asRecord = (row: CustomerRow) => ({
  customerId: row.customerId,
  customerUniqueId: row.personId,
  zipCodePrefix: row.zipPrefix,
  city: row.city,
  state: row.state,
});

describe('CrmSource.accountsByIds', () => {
  it('answers 50 ids with one slot per key in key order, in one statement', async () => {
    const ids = oracle
      .sampleUserIds()
      .flatMap((id) => oracle.user(id)!.accounts.map((a) => a.customerId))
      .slice(0, 50);
    expect(ids).toHaveLength(50);
    const shuffled = [...ids].reverse();
    const { result, statements } = await counted(seeded.log, () => seeded.sources.crm.accountsByIds(shuffled));
    expect(statements).toEqual({ crm: 1 });
    expect(result).toEqual(shuffled.map((id) => asRecord(oracle.account(id)!)));
  });

  it('answers null for unknown ids and fills every slot of a repeated id', async () => {
    const ids = withUnknownAndDuplicate(
      oracle
        .customers()
        .slice(0, 10)
        .map((c) => c.customerId),
    );
    const { result, statements } = await counted(seeded.log, () => seeded.sources.crm.accountsByIds(ids));
    expect(statements).toEqual({ crm: 1 });
    expect(result).toHaveLength(ids.length);
    expect(result).toEqual(ids.map((id) => (id === UNKNOWN_ID ? null : asRecord(oracle.account(id)!))));
    // A person id is not an account id.
    const personOnly = oracle.sampleUserIds().find((id) => !oracle.account(id))!;
    expect(await seeded.sources.crm.accountsByIds([personOnly])).toEqual([null]);
  });

  it('answers a DataLoader-sized batch (500 ids) in one statement', async () => {
    const ids = oracle
      .customers()
      .slice(1000, 1500)
      .map((c) => c.customerId);
    const { result, statements } = await counted(seeded.log, () => seeded.sources.crm.accountsByIds(ids));
    expect(statements).toEqual({ crm: 1 });
    expect(result.map((r) => r?.customerId)).toEqual(ids);
  });
});

describe('CrmSource.accountsByPersonIds', () => {
  it("answers each sampled person's accounts sorted by customer id, in one statement", async () => {
    const personIds = oracle.sampleUserIds();
    const keys = withUnknownAndDuplicate(personIds);
    const { result, statements } = await counted(seeded.log, () => seeded.sources.crm.accountsByPersonIds(keys));
    expect(statements).toEqual({ crm: 1 });
    expect(result).toEqual(keys.map((id) => (id === UNKNOWN_ID ? [] : oracle.user(id)!.accounts.map(asRecord))));
    expect(result.some((accounts) => accounts.length > 1)).toBe(true);
  });

  it('does not treat an account id as a person id', async () => {
    const user = oracle
      .sampleUserIds()
      .map((id) => oracle.user(id)!)
      .find((u) => u.accounts.every((a) => a.customerId !== u.id))!;
    const [accounts] = await seeded.sources.crm.accountsByPersonIds([user.accounts[0].customerId]);
    expect(accounts).toEqual(oracle.user(user.accounts[0].customerId)?.accounts.map(asRecord) ?? []);
  });
});

describe('CrmSource.personIdsPage / countPersons', () => {
  it('pages through person ids in id order with a keyset cursor', async () => {
    const all = oracle.personIds();
    const first = await seeded.sources.crm.personIdsPage({ limit: 25 });
    expect(first).toEqual(all.slice(0, 25));
    const { result: second, statements } = await counted(seeded.log, () =>
      seeded.sources.crm.personIdsPage({ limit: 25, afterPersonId: first[first.length - 1] }),
    );
    expect(statements).toEqual({ crm: 1 });
    expect(second).toEqual(all.slice(25, 50));
    const middle = all[Math.floor(all.length / 2)];
    expect(await seeded.sources.crm.personIdsPage({ limit: 10, afterPersonId: middle })).toEqual(all.slice(all.indexOf(middle) + 1, all.indexOf(middle) + 11));
    expect(await seeded.sources.crm.personIdsPage({ limit: 10, afterPersonId: all[all.length - 1] })).toEqual([]);
  });

  it('filters by state: every person with an account there, each once', async () => {
    const states = [...new Set(oracle.customers().map((c) => c.state))];
    const smallest = states.sort((a, b) => oracle.usersInStateCount(a) - oracle.usersInStateCount(b))[0];
    const expected = oracle.personIds(smallest);
    const pages: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await seeded.sources.crm.personIdsPage({ state: smallest, limit: 17, afterPersonId: after });
      pages.push(...page);
      if (page.length < 17) break;
      after = page[page.length - 1];
    }
    expect(pages).toEqual(expected);
    const sp = await seeded.sources.crm.personIdsPage({ state: 'SP', limit: 40 });
    expect(sp).toEqual(oracle.personIds('SP').slice(0, 40));
  });

  it('counts distinct persons overall and per state', async () => {
    expect(await seeded.sources.crm.countPersons()).toBe(oracle.users().size);
    const states = [...new Set(oracle.customers().map((c) => c.state))].sort();
    const counts = await Promise.all(states.map((state) => seeded.sources.crm.countPersons(state)));
    expect(counts).toEqual(states.map((state) => oracle.usersInStateCount(state)));
    expect(await seeded.sources.crm.countPersons('XX')).toBe(0);
  });
});

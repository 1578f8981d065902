/**
 * The shared key data (fusion/key-data.ts) over the seeded stores, with a writable copy of the CRM: one set per
 * sources, kept until a change makes it stale, and cleared exactly by the change kinds that affect it — a new
 * account reaches the customer-state key sets and the statistics' account lookup at once, an order change does
 * not drop the account maps, and a review drops the review-derived sets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ChangeEvent } from '../../src/events';
import { invalidateKeyData, keyChangeOf, keyDataOf } from '../../src/fusion';
import { configFromEnv } from '../../src/shared';
import { openEmbeddedSources, type Sources } from '../../src/sources';

let directory: string;
let sources: Sources;
const NEW_ACCOUNT = 'e'.repeat(32);

beforeAll(async () => {
  const seeded = configFromEnv().dataDir;
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'key-data-'));
  for (const entry of ['catalog.db', 'orders.db', 'reviews', 'geography', 'seed-manifest.json'])
    fs.symlinkSync(path.join(seeded, entry), path.join(directory, entry));
  fs.copyFileSync(path.join(seeded, 'crm.db'), path.join(directory, 'crm.db'));
  sources = await openEmbeddedSources(directory);
}, 120_000);
afterAll(async () => {
  await sources?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

it('is one set per sources, kept until a change makes it stale', async () => {
  const data = await keyDataOf(sources);
  expect(await keyDataOf(sources)).toBe(data);
  const states = await data.maps.accountState();
  const accounts = await data.maps.accounts();
  const unreviewed = await data.crossKeys.unreviewedOrderIds();
  const reviews = await data.maps.orderReviews();
  expect(states.has(NEW_ACCOUNT)).toBe(false);

  const crm = new Database(path.join(directory, 'crm.db'));
  try {
    crm.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?)').run(NEW_ACCOUNT, 'd'.repeat(32), '01310', 'sao paulo', 'sp');
  } finally {
    crm.close();
  }
  // Kept: the write alone changes nothing until an event says so (or the TTL passes).
  expect(await data.maps.accountState()).toBe(states);

  // An order change drops the order-derived key sets, not the account maps.
  await invalidateKeyData(sources, 'orders');
  expect(await data.maps.accountState()).toBe(states);
  expect(await data.maps.accounts()).toBe(accounts);
  expect(await data.crossKeys.unreviewedOrderIds()).not.toBe(unreviewed);
  expect(await data.maps.orderReviews()).toBe(reviews);

  // A new account: the state key sets and the statistics' account lookup are read anew, with it.
  await invalidateKeyData(sources, 'accounts');
  const fresh = await data.maps.accountState();
  expect(fresh).not.toBe(states);
  expect(fresh.get(NEW_ACCOUNT)).toBe('SP');
  expect((await data.crossKeys.accountState()).get(NEW_ACCOUNT)).toBe('SP');
  expect((await data.maps.accounts()).get(NEW_ACCOUNT)).toEqual({ personId: NEW_ACCOUNT, state: 'SP' });

  // A review drops the review-derived sets.
  const ranking = await data.crossKeys.ratingRanking('desc');
  await invalidateKeyData(sources, 'reviews');
  expect(await data.maps.orderReviews()).not.toBe(reviews);
  expect(await data.crossKeys.ratingRanking('desc')).not.toBe(ranking);
  expect(await data.maps.accountState()).toBe(fresh);
}, 120_000);

it('maps each change event to what it makes stale', () => {
  const of = (type: ChangeEvent['type']) => keyChangeOf({ type } as ChangeEvent);
  expect(of('customer.account-created')).toBe('accounts');
  expect(of('order.created')).toBe('orders');
  expect(of('order.item-added')).toBe('orders');
  expect(of('review.added')).toBe('reviews');
  for (const type of ['order.status-changed', 'order.payment-added', 'order.delivered'] as const) expect(of(type)).toBeNull();
});

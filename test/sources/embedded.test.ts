/** openEmbeddedSources and SourceQueryLog. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, embeddedStoresExist, openEmbeddedSources, SourceQueryLog } from '../../src/sources';
import { olistOracle } from '../helpers/olist-oracle';

describe('openEmbeddedSources', () => {
  it('refuses a data folder that was never seeded', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-empty-'));
    try {
      expect(embeddedStoresExist(empty)).toBe(false);
      await expect(openEmbeddedSources(empty)).rejects.toThrow(/run the seed command/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('opens the seeded stores: one SQLite file per system, the review and geography files', async () => {
    const dataDir = configFromEnv().dataDir;
    const paths = embeddedStorePaths(dataDir);
    for (const file of [paths.sqlite('crm'), paths.sqlite('catalog'), paths.sqlite('orders'), paths.reviews, paths.geography, paths.manifest]) {
      expect(fs.existsSync(file)).toBe(true);
    }
    const log = new SourceQueryLog();
    const sources = await openEmbeddedSources(dataDir, log);
    try {
      const oracle = olistOracle();
      const customer = oracle.customers()[0];
      const [account] = await sources.crm.accountsByIds([customer.customerId]);
      expect(account?.customerUniqueId).toBe(customer.personId);
      expect(log.snapshot()).toEqual({ crm: 1 });
    } finally {
      await sources.close();
    }
  });
});

describe('SourceQueryLog', () => {
  it('counts per source and in total, and resets', () => {
    const log = new SourceQueryLog();
    expect(log.count()).toBe(0);
    log.record('crm');
    log.record('crm');
    log.record('orders');
    expect(log.count('crm')).toBe(2);
    expect(log.count('catalog')).toBe(0);
    expect(log.count()).toBe(3);
    expect(log.snapshot()).toEqual({ crm: 2, orders: 1 });
    log.reset();
    expect(log.snapshot()).toEqual({});
  });
});

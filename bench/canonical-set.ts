/**
 * The canonical operations of test/operations/*.graphql as concrete requests, with ids taken from the
 * sources (spread over the id space, nothing hard-coded), shared by the production back-ends e2e test
 * and bench/backends.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { PROJECT_ROOT } from '../src/shared';
import type { Sources } from '../src/sources';
import { benchAuthHeaders } from './harness';

export interface CanonicalRequest {
  /** Operation name plus what varies, e.g. `ProductPage 3f…`. */
  label: string;
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

/** operationName → the text of its .graphql file (operations may share the file's fragments). */
export function canonicalOperations(): Map<string, string> {
  const dir = path.join(PROJECT_ROOT, 'test', 'operations');
  const operations = new Map<string, string>();
  for (const file of fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const definition of parse(text).definitions) {
      if (definition.kind === 'OperationDefinition' && definition.name) operations.set(definition.name.value, text);
    }
  }
  return operations;
}

const HEX_STARTS = ['0', '3', '7', 'a', 'e'];

/** One request per canonical operation and id or filter; every id read from `sources`. */
export async function canonicalRequests(sources: Sources): Promise<CanonicalRequest[]> {
  const operations = canonicalOperations();
  const users: string[] = [];
  const products: string[] = [];
  const orders: string[] = [];
  for (const start of HEX_STARTS) {
    users.push(...(await sources.crm.personIdsPage({ afterPersonId: start, limit: 1 })));
    products.push(...(await sources.catalog.productsPage({ afterProductId: start, limit: 1 })).map((p) => p.productId));
  }
  for (const purchasedFrom of ['2016-10-05 00:00:00', '2017-06-01 00:00:00', '2018-01-15 12:00:00', '2018-08-20 00:00:00']) {
    orders.push(...(await sources.orders.ordersPage({ purchasedFrom, limit: 1 })).map((o) => o.orderId));
  }
  for (const status of ['canceled', 'shipped', 'unavailable']) orders.push(...(await sources.orders.ordersPage({ status, limit: 1 })).map((o) => o.orderId));
  const items = (await sources.orders.itemsByOrderIds(orders)).flat();
  products.push(...items.slice(0, 3).map((item) => item.productId));
  const sellers = [...new Set(items.map((item) => item.sellerId))].slice(0, 4);
  const accounts = (await sources.crm.accountsByPersonIds(users))
    .flat()
    .map((account) => account.customerId)
    .slice(0, 2);
  const unique = (list: string[]) => [...new Set(list)];

  const requests: CanonicalRequest[] = [];
  const add = (operationName: string, variables: Record<string, unknown>, what: string) => {
    const query = operations.get(operationName);
    if (!query) throw new Error(`No operation ${operationName} in test/operations`);
    requests.push({ label: `${operationName} ${what}`, operationName, query, variables });
  };
  for (const id of unique([...users, ...accounts])) add('Customer360', { id }, id);
  for (const id of unique(users)) add('UserFigures', { id }, id);
  for (const id of unique(products)) add('ProductPage', { id }, id);
  for (const id of unique(products)) add('ProductFigures', { id }, id);
  for (const id of unique(orders)) add('OrderDetail', { id }, id);
  for (const id of unique(orders)) add('OrderFigures', { id }, id);
  for (const id of sellers) add('SellerPage', { id }, id);
  for (const id of sellers) add('SellerFigures', { id }, id);
  const listings: Record<string, unknown>[] = [
    { first: 10 },
    { first: 5, status: 'CANCELED' },
    { first: 10, status: 'DELIVERED', purchasedFrom: '2017-11-24T00:00:00-02:00', purchasedTo: '2017-11-25T23:59:59-02:00' },
    { first: 10, purchasedFrom: '2018-03-01T00:00:00-03:00' },
    { first: 3, purchasedTo: '2017-01-01T00:00:00-02:00', status: 'SHIPPED' },
  ];
  for (const variables of listings) add('OrderListing', variables, JSON.stringify(variables));
  for (const state of ['SP', 'RJ', 'AC', null]) add('UsersByState', { state, first: 10 }, String(state));
  add('ListingCounts', { state: 'SP', status: 'DELIVERED', category: 'beleza_saude' }, 'SP/DELIVERED/beleza_saude');
  const november2017 = { purchasedFrom: '2017-11-01T00:00:00-02:00', purchasedTo: '2017-11-30T23:59:59-02:00' };
  add('OrderStats', { groupBy: ['PURCHASE_DAY', 'ORDER_STATUS'], filter: november2017 }, 'day × status, November 2017');
  add('OrderStatsWithReviews', { groupBy: ['PRODUCT_CATEGORY'], filter: november2017, first: 20 }, 'categories, November 2017');
  return requests;
}

/** POSTs a request; answers the status and the body text (compared byte for byte). */
export async function postCanonical(url: string, request: CanonicalRequest): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await benchAuthHeaders()) },
    body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }),
  });
  return { status: response.status, text: await response.text() };
}

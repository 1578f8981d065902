/**
 * The canonical operations of test/operations as load workloads: each operation's document with
 * several variable sets of real ids, taken from first-page queries against a running gateway
 * (nothing hard-coded). Shared by bench/run.ts and bench/peers/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { queryData, ROOT, type Variables } from './harness';

const OPERATIONS_DIR = path.join(ROOT, 'test', 'operations');

export const operationText = (file: string) => fs.readFileSync(path.join(OPERATIONS_DIR, file), 'utf8');

export interface Workload {
  name: string;
  file: string;
  variableSets: Variables[];
}

/** Real ids from first-page queries against the running embedded gateway, several per operation. */
export async function buildWorkloads(url: string): Promise<Workload[]> {
  type UsersPage = { users: { edges: { node: { id: string; accounts: unknown[] } }[] } };
  const users = await queryData<UsersPage>(url, operationText('users-by-state.graphql'), { state: 'SP', first: 100 });
  const people = users.users.edges.map((edge) => edge.node);
  const userIds = [...people.filter((person) => person.accounts.length > 1).slice(0, 4), ...people.filter((_, index) => index % 12 === 0)].map(
    (person) => person.id,
  );

  type OrdersPage = {
    orders: { edges: { node: { id: string; items: { product: { id: string }; seller: { id: string } }[] } }[] };
  };
  const orderIds: string[] = [];
  const productIds: string[] = [];
  const sellerIds: string[] = [];
  for (const purchasedFrom of ['2017-03-01T00:00:00-03:00', '2017-11-24T00:00:00-02:00', '2018-05-02T00:00:00-03:00']) {
    const page = await queryData<OrdersPage>(url, operationText('order-listing.graphql'), { first: 4, purchasedFrom });
    for (const { node } of page.orders.edges) {
      orderIds.push(node.id);
      for (const item of node.items) {
        productIds.push(item.product.id);
        sellerIds.push(item.seller.id);
      }
    }
  }
  const unique = (ids: string[]) => [...new Set(ids)].slice(0, 12);
  return [
    { name: 'customer360', file: 'customer-360.graphql', variableSets: unique(userIds).map((id) => ({ id })) },
    { name: 'productPage', file: 'product-page.graphql', variableSets: unique(productIds).map((id) => ({ id })) },
    { name: 'orderDetail', file: 'order-detail.graphql', variableSets: unique(orderIds).map((id) => ({ id })) },
    {
      name: 'orderListing',
      file: 'order-listing.graphql',
      variableSets: [
        { first: 20 },
        { first: 20, status: 'DELIVERED', purchasedFrom: '2017-11-24T00:00:00-02:00', purchasedTo: '2017-11-30T23:59:59-02:00' },
        { first: 20, status: 'CANCELED' },
        { first: 10, status: 'SHIPPED', purchasedFrom: '2018-01-01T00:00:00-02:00' },
      ],
    },
    { name: 'sellerPage', file: 'seller-page.graphql', variableSets: unique(sellerIds).map((id) => ({ id })) },
    {
      name: 'usersByState',
      file: 'users-by-state.graphql',
      variableSets: ['SP', 'RJ', 'MG', 'RS', 'BA', 'AC'].map((state) => ({ state, first: 20 })),
    },
  ];
}

import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig, type SourcesConfig } from '../../src/config/fusion-config';
import type { SecurityConfig } from '../../src/config/security-config';
import { ApiKeyStore, signToken, type TokenRequest } from '../../src/security';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { SQLITE_SOURCES } from '../helpers/config-fixtures';
import { bearer, type Credential } from '../helpers/credentials';

/**
 * A security configuration of the tests' own: its own HS256 secret, a JWKS file with an RSA key (for
 * RS256 tokens), an issuer and audience, and an API key store in a temporary folder.
 */
export interface SecurityFixture {
  config: SourcesConfig;
  security: SecurityConfig;
  keys: ApiKeyStore;
  /** The RSA private key whose public half is in the JWKS file. */
  rsaPrivateKey: KeyObject;
  rsaPublicPem: string;
  token(request: TokenRequest): Promise<Credential>;
  dir: string;
  remove(): void;
}

export const ISSUER = 'https://idp.test.fusion';
export const AUDIENCE = 'fusion-gateway';

export function securityFixture(): SecurityFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-security-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-rsa', alg: 'RS256', use: 'sig' };
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  const dataDir = configFromEnv().dataDir;
  // Through the configuration file's own parser, as a deployment would write it.
  const config = resolveConfig(
    {
      sources: SQLITE_SOURCES,
      security: {
        anonymous: 'catalog',
        jwt: { hs256Secret: { env: 'TEST_JWT_SECRET' }, jwks: { file: path.join(dir, 'jwks.json') }, issuer: ISSUER, audience: AUDIENCE },
        apiKeysFile: path.join(dir, 'api-keys.json'),
        pseudonymSecret: 'pseudonym-secret-of-the-tests',
      },
      // Partners run only trusted documents in a deployment (limits.trustedDocuments); here they may send
      // any operation, so the policy and row scopes are shown to hold on their own.
      limits: { trustedDocuments: { requiredFor: [] } },
    },
    { defaultDataDir: dataDir, env: { TEST_JWT_SECRET: randomBytes(32).toString('base64url') } },
  );
  const security = config.security!;
  return {
    config,
    security,
    keys: new ApiKeyStore(security.apiKeysFile),
    rsaPrivateKey: privateKey,
    rsaPublicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    token: async (request) => bearer(await signToken(security, request)),
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Real ids from the seeded stores, chosen by what they show (nothing here is written by hand). */
export interface DataFixture {
  /** A customer (person) and their orders, one of which contains `sharedProduct`. */
  alice: { personId: string; orderIds: string[]; accountIds: string[] };
  /** Another customer who also bought `sharedProduct`; `orderId` holds it. */
  bob: { personId: string; orderId: string };
  /** A product many people bought and reviewed. */
  sharedProduct: string;
  /** A partner seller, an order with lines of it and of another seller, and that other seller. */
  seller: { id: string; productIds: string[]; orderIds: string[]; mixedOrderId: string; lineCountInMixed: number };
  otherSeller: { id: string };
  /** An order without a line of `seller`, and a product `seller` never sold. */
  foreignOrderId: string;
  foreignProductId: string;
  /** The product sold by the most sellers, one of those sellers (by id), and the orders with a line of it. */
  coSold: { productId: string; sellerId: string; sellerOrderIds: string[] };
}

export async function pickData(sources: Sources): Promise<DataFixture> {
  const [orders, items, accounts] = await Promise.all([sources.orders.allOrders(), sources.orders.allItems(), sources.crm.allAccounts()]);
  const personOfAccount = new Map(accounts.map((account) => [account.customerId, account.customerUniqueId]));
  const personOfOrder = new Map(orders.map((order) => [order.orderId, personOfAccount.get(order.customerId)!]));
  const ordersOfPerson = new Map<string, string[]>();
  for (const order of orders) {
    const person = personOfOrder.get(order.orderId)!;
    ordersOfPerson.set(person, [...(ordersOfPerson.get(person) ?? []), order.orderId]);
  }
  const ordersOfProduct = new Map<string, Set<string>>();
  const sellersOfOrder = new Map<string, Set<string>>();
  for (const item of items) {
    ordersOfProduct.set(item.productId, (ordersOfProduct.get(item.productId) ?? new Set()).add(item.orderId));
    sellersOfOrder.set(item.orderId, (sellersOfOrder.get(item.orderId) ?? new Set()).add(item.sellerId));
  }
  // The product bought in the most orders; Alice: its buyer with the most orders; Bob: another buyer.
  const [sharedProduct, sharedOrders] = [...ordersOfProduct.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))[0];
  const buyers = [...new Set([...sharedOrders].map((id) => personOfOrder.get(id)!))].sort(
    (a, b) => ordersOfPerson.get(b)!.length - ordersOfPerson.get(a)!.length || (a < b ? -1 : 1),
  );
  const alicePerson = buyers[0];
  const bobPerson = buyers.find((person) => person !== alicePerson)!;
  const bobOrder = [...sharedOrders].find((id) => personOfOrder.get(id) === bobPerson)!;

  // A partner: the first seller (by id) of an order with lines of two sellers.
  const mixedOrderId = [...sellersOfOrder.entries()]
    .filter(([, sellers]) => sellers.size >= 2)
    .map(([id]) => id)
    .sort()[0];
  const [sellerId, otherSellerId] = [...sellersOfOrder.get(mixedOrderId)!].sort();
  const sellerItems = items.filter((item) => item.sellerId === sellerId);
  const sellerOrders = new Set(sellerItems.map((item) => item.orderId));
  const sellerProducts = [...new Set(sellerItems.map((item) => item.productId))].sort();
  const foreignOrderId = [...sellersOfOrder.keys()].sort().find((id) => !sellerOrders.has(id))!;
  const foreignProductId = [...ordersOfProduct.keys()].sort().find((id) => !sellerProducts.includes(id))!;
  const sellersOfProduct = new Map<string, Set<string>>();
  for (const item of items) sellersOfProduct.set(item.productId, (sellersOfProduct.get(item.productId) ?? new Set()).add(item.sellerId));
  const [coSoldProduct, coSellers] = [...sellersOfProduct.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))[0];
  const coSeller = [...coSellers].sort()[0];
  return {
    alice: {
      personId: alicePerson,
      orderIds: ordersOfPerson.get(alicePerson)!.sort(),
      accountIds: accounts.filter((account) => account.customerUniqueId === alicePerson).map((account) => account.customerId),
    },
    bob: { personId: bobPerson, orderId: bobOrder },
    sharedProduct,
    seller: {
      id: sellerId,
      productIds: sellerProducts,
      orderIds: [...sellerOrders].sort(),
      mixedOrderId,
      lineCountInMixed: items.filter((item) => item.orderId === mixedOrderId && item.sellerId === sellerId).length,
    },
    otherSeller: { id: otherSellerId },
    foreignOrderId,
    foreignProductId,
    coSold: {
      productId: coSoldProduct,
      sellerId: coSeller,
      sellerOrderIds: [...new Set(items.filter((item) => item.sellerId === coSeller).map((item) => item.orderId))].sort(),
    },
  };
}

/** The secret part of a partner key `fgk_<16 hex id>_<secret>` (the secret itself may contain "_"). */
export function secretOf(key: string): string {
  const secret = /^fgk_[0-9a-f]{16}_(.+)$/.exec(key)?.[1];
  if (!secret) throw new Error(`not a partner key: ${key}`);
  return secret;
}

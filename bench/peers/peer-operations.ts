/**
 * The canonical operations of test/operations as PostGraphile 4 queries over bench/peers/olist-postgres.ts'
 * schema, aliased so the answer has the gateway's field names, and the one normalisation both answers go
 * through before they are compared: timestamps as wall-clock `YYYY-MM-DDTHH:MM:SS` (the gateway writes the
 * stored local time with Brazil's offset; the peer the same time without one), money as numbers (PostGraphile
 * writes numeric as a string), status in lower case (the gateway's enum), opaque cursors dropped (each
 * server's own encoding; hasNextPage/hasPreviousPage and the order of the edges are compared), and the
 * fields the dataset does not hold dropped from the gateway's side (review ids, titles, comments, dates:
 * the shipped reviews file has scores only, so the gateway answers null and the peer has no column).
 */

export interface PeerOperation {
  /** The workload name in bench/workloads.ts. */
  name: 'orderDetail' | 'customer360' | 'productPage';
  query: string;
  /** The data of the gateway's answer → the peer's root field's shape (aliases give the same names below it). */
  gatewayRoot(data: Record<string, unknown>): unknown;
  peerRoot(data: Record<string, unknown>): unknown;
  /** Paths (`a.b[].c`) of the gateway's answer not compared, with the reason in the module comment. */
  notInDataset: string[];
}

const ITEM = `
      position
      price
      freight
      product: productByProductId {
        id
        category: categoryByCategoryName {
          name
          nameEn
        }
      }
      seller: sellerBySellerId {
        id
        city
        state
      }`;

const PAYMENTS = `
    payments: paymentsByOrderIdList(orderBy: SEQUENTIAL_ASC) {
      sequential
      type
      installments
      value
    }`;

const ORDER_DETAIL = `query OrderDetail($id: String!) {
  order: orderById(id: $id) {
    id
    status
    purchasedAt
    approvedAt
    carrierAt
    deliveredAt
    estimatedDeliveryAt
    itemsTotal
    freightTotal
    paymentTotal
    customer: customerByCustomerId {
      person: personByPersonId {
        id
        orderCount
      }
    }
    items: orderItemsByOrderIdList(orderBy: POSITION_ASC) {${ITEM}
      shippingLimitAt
    }${PAYMENTS}
    reviews: reviewsByOrderIdList(orderBy: LINE_ASC) {
      score
    }
  }
}`;

const CUSTOMER_360 = `query Customer360($id: String!, $first: Int = 10) {
  user: personById(id: $id) {
    id
    orderCount
    totalSpent
    accounts: customersByPersonIdList(orderBy: ID_ASC) {
      customerId: id
      zipPrefix
      city
      state
      location {
        latitude
        longitude
      }
    }
    orders(first: $first) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
      }
      edges {
        node {
          id
          status
          purchasedAt
          deliveredAt
          itemsTotal
          freightTotal
          paymentTotal
          items: orderItemsByOrderIdList(orderBy: POSITION_ASC) {${ITEM}
          }${PAYMENTS}
          reviews: reviewsByOrderIdList(orderBy: LINE_ASC) {
            score
          }
        }
      }
    }
  }
}`;

const PRODUCT_PAGE = `query ProductPage($id: String!, $reviewsFirst: Int = 5) {
  product: productById(id: $id) {
    id
    weightGrams
    lengthCm
    heightCm
    widthCm
    photosCount
    category: categoryByCategoryName {
      name
      nameEn
    }
    sellers: sellersList {
      id
      city
      state
      zipPrefix
    }
    orderCount
    averageRating
    reviews(first: $reviewsFirst) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
      }
      edges {
        node {
          score
          order: orderByOrderId {
            id
            status
            purchasedAt
          }
        }
      }
    }
  }
}`;

/** The order's buyer: the gateway resolves the person behind the account; the peer follows order → customer → person. */
function flattenCustomer(order: unknown): unknown {
  if (!order || typeof order !== 'object') return order;
  const { customer, ...rest } = order as { customer?: { person?: unknown } | null };
  return { ...rest, customer: customer?.person ?? null };
}

export const PEER_OPERATIONS: PeerOperation[] = [
  {
    name: 'orderDetail',
    query: ORDER_DETAIL,
    gatewayRoot: (data) => data.order,
    peerRoot: (data) => flattenCustomer(data.order),
    notInDataset: ['reviews[].id', 'reviews[].title', 'reviews[].comment', 'reviews[].createdAt', 'reviews[].answeredAt'],
  },
  {
    name: 'customer360',
    query: CUSTOMER_360,
    gatewayRoot: (data) => data.user,
    peerRoot: (data) => data.user,
    notInDataset: [
      'orders.edges[].node.reviews[].id',
      'orders.edges[].node.reviews[].title',
      'orders.edges[].node.reviews[].comment',
      'orders.edges[].node.reviews[].createdAt',
    ],
  },
  {
    name: 'productPage',
    query: PRODUCT_PAGE,
    gatewayRoot: (data) => data.product,
    peerRoot: (data) => data.product,
    notInDataset: [
      'reviews.edges[].node.id',
      'reviews.edges[].node.title',
      'reviews.edges[].node.comment',
      'reviews.edges[].node.createdAt',
      'reviews.edges[].node.answeredAt',
    ],
  },
];

/** Each server's own cursor encoding. */
const OPAQUE = new Set(['cursor', 'startCursor', 'endCursor']);
const MONEY = new Set(['price', 'freight', 'value', 'itemsTotal', 'freightTotal', 'paymentTotal', 'totalSpent']);

const wallClock = (value: string) => value.replace(' ', 'T').replace(/(\.\d+)?([+-]\d\d:\d\d|Z)?$/, '');

/**
 * The plain shape both answers are compared in (see the module comment); `skip` lists paths left out.
 * `compared` collects every leaf path kept, for the report.
 */
export function plain(value: unknown, skip: readonly string[], compared: Set<string>, at = ''): unknown {
  if (Array.isArray(value)) return value.map((element) => plain(element, skip, compared, `${at}[]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const path = at ? `${at}.${key}` : key;
      if (OPAQUE.has(key) || skip.includes(path)) continue;
      out[key] = plain((value as Record<string, unknown>)[key], skip, compared, path);
    }
    return out;
  }
  compared.add(at);
  const key = at.slice(at.lastIndexOf('.') + 1);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && key.endsWith('At')) return wallClock(value);
  if (MONEY.has(key)) return Number(value);
  if (key === 'status' && typeof value === 'string') return value.toLowerCase();
  // Both compute the mean in binary floating point, in a different order: equal to 12 significant digits.
  if (key === 'averageRating' && typeof value === 'number') return Number(value.toPrecision(12));
  return value;
}

/** The first path where two plain answers differ, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: ${a.length} vs ${b.length} elements`;
    for (const [index, element] of a.entries()) {
      const difference = firstDifference(element, b[index], `${at}[${index}]`);
      if (difference) return difference;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (difference) return difference;
    }
    return null;
  }
  return a === b ? null : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

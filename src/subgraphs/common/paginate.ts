import { decodeCursor, encodeCursor, pageSize } from '../../shared';
import type { Connection } from './connection.type';
import type { ConnectionArgs } from './connection.args';

export type SortKey = (string | number)[];

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** Pages a list already held in memory and sorted by `keyOf`. */
export function connectionFromSortedList<T>(items: readonly T[], args: ConnectionArgs, keyOf: (item: T) => SortKey, keyArity: number): Connection<T> {
  const limit = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const after = decodeCursor(args.after, keyArity);
    start = items.findIndex((item) => compareKeys(keyOf(item), after) > 0);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  return buildConnection(page, keyOf, start + limit < items.length, start > 0, items.length);
}

/** Wraps a keyset page fetched with `limit + 1` rows (the extra row only says there is a next page). */
export function connectionFromKeysetPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (item: T) => SortKey,
  hasPrevious: boolean,
  totalCount: () => Promise<number>,
): Connection<T> {
  let count: Promise<number> | undefined;
  const connection = buildConnection(rows.slice(0, limit), keyOf, rows.length > limit, hasPrevious, 0);
  return Object.defineProperty(connection, 'totalCount', {
    get: () => (count ??= totalCount()),
    enumerable: true,
  });
}

function buildConnection<T>(page: T[], keyOf: (item: T) => SortKey, hasNext: boolean, hasPrevious: boolean, totalCount: number): Connection<T> {
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: hasNext,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

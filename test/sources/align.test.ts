/** The DataLoader alignment helpers: back-end rows in any order → one slot per key, in key order. */
import { alignMany, alignOne } from '../../src/sources';

interface Row {
  key: string;
  value: number;
}
const rows: Row[] = [
  { key: 'c', value: 3 },
  { key: 'a', value: 1 },
  { key: 'b', value: 2 },
  { key: 'a', value: 11 },
  { key: 'z', value: 26 },
];

describe('alignOne', () => {
  it('puts each row in the slot of its key, null for keys without a row, every slot of a repeated key', () => {
    const aligned = alignOne(['b', 'x', 'c', 'b'], rows, (row) => row.key);
    expect(aligned).toEqual([{ key: 'b', value: 2 }, null, { key: 'c', value: 3 }, { key: 'b', value: 2 }]);
  });

  it('answers an empty list for no keys', () => {
    expect(alignOne([], rows, (row) => row.key)).toEqual([]);
  });
});

describe('alignMany', () => {
  it('groups rows per key in row order, [] for keys without rows, ignoring rows for keys not asked', () => {
    const aligned = alignMany(['a', 'x', 'c', 'a'], rows, (row) => row.key);
    expect(aligned).toEqual([
      [
        { key: 'a', value: 1 },
        { key: 'a', value: 11 },
      ],
      [],
      [{ key: 'c', value: 3 }],
      [
        { key: 'a', value: 1 },
        { key: 'a', value: 11 },
      ],
    ]);
  });
});

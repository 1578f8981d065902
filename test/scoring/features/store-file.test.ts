/**
 * The store file container (store-file.ts): sections of every type, empty ones included, read back
 * equal with their metadata; any altered byte, a truncation or a foreign file is a StoreFileError.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readStoreFile, readStoreMeta, StoreFileError, writeStoreFile } from '../../../src/scoring/features';

describe('store file', () => {
  let dir: string;
  let file: string;
  const sections = {
    empty: new Float64Array(0),
    f64: Float64Array.from([1.5, Number.NaN, -0, Infinity]),
    emptyStrings: [] as string[],
    odd: Int32Array.from([1, -2, 3]),
    f32: Float32Array.from([0.1, 2]),
    strings: ['a', null, 'é "quoted"'],
    alsoEmpty: new Int32Array(0),
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-file-'));
    file = path.join(dir, 'store.bin');
    writeStoreFile(file, { hello: 'world' }, sections);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back every section and the metadata', () => {
    const { meta, sections: read } = readStoreFile<{ hello: string }>(file);
    expect(meta).toEqual({ hello: 'world' });
    expect(readStoreMeta(file)).toEqual({ hello: 'world' });
    expect([...read.keys()]).toEqual(Object.keys(sections));
    for (const [name, value] of Object.entries(sections)) {
      const back = read.get(name)!;
      expect(back.constructor).toBe(value.constructor);
      expect(Array.from(back as ArrayLike<unknown>).map(String)).toEqual(Array.from(value as ArrayLike<unknown>).map(String));
    }
    expect(Object.is((read.get('f64') as Float64Array)[2], -0)).toBe(true);
  });

  it('refuses every single altered data byte, a truncation and a foreign file', () => {
    const good = fs.readFileSync(file);
    const dataFrom = good.length - 64; // the last 64 bytes are section data
    const broken = (mutate: (b: Buffer) => Buffer) => {
      const other = path.join(dir, 'broken.bin');
      fs.writeFileSync(other, mutate(Buffer.from(good)));
      return () => readStoreFile(other);
    };
    for (let i = dataFrom; i < good.length; i++) expect(broken((b) => ((b[i] ^= 0x01), b))).toThrow(StoreFileError);
    expect(broken((b) => b.subarray(0, b.length - 8))).toThrow(StoreFileError);
    expect(broken(() => Buffer.from('{"not": "ours"}'))).toThrow(StoreFileError);
    expect(readStoreMeta(path.join(dir, 'missing.bin'))).toBeNull();
  });
});

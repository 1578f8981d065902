/**
 * SqliteResultMemo on real SQLite files: an answer is given again only while no other connection has
 * committed to the file since it was computed (in WAL and rollback-journal mode), concurrent requests share
 * one computation, failures and answers refused by `keepIf` are not kept, and the memo stays bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteResultMemo } from '../../../src/sources/sql/result-memo';

let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'result-memo-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function store(name: string, journal: 'wal' | 'delete') {
  const file = path.join(directory, `${name}.db`);
  const writer = new Database(file);
  writer.pragma(`journal_mode = ${journal}`);
  writer.exec('CREATE TABLE t (n INTEGER)');
  writer.prepare('INSERT INTO t VALUES (1), (2), (3)').run();
  const reader = new Database(file, { readonly: true });
  let computations = 0;
  const count = async () => {
    computations += 1;
    return (reader.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
  };
  return { file, writer, reader, count, computations: () => computations };
}

/** Runs `body` on a fresh store and a memo over it, closing both afterwards. */
async function withMemo(
  name: string,
  journal: 'wal' | 'delete',
  body: (s: ReturnType<typeof store>, memo: SqliteResultMemo) => Promise<void>,
  maxEntries?: number,
) {
  const s = store(name, journal);
  const memo = new SqliteResultMemo(s.file, maxEntries);
  try {
    await body(s, memo);
  } finally {
    await memo.close();
    s.reader.close();
    s.writer.close();
  }
}

describe.each(['wal', 'delete'] as const)('journal mode %s', (journal) => {
  it('keeps an answer until another connection commits, then computes it again', async () => {
    await withMemo(`commits-${journal}`, journal, async (s, memo) => {
      expect(await memo.remember('count', s.count)).toBe(3);
      expect(await memo.remember('count', s.count)).toBe(3);
      expect(s.computations()).toBe(1);

      s.writer.prepare('INSERT INTO t VALUES (4)').run();
      expect(await memo.remember('count', s.count)).toBe(4);
      expect(s.computations()).toBe(2);

      // A transaction that is rolled back commits nothing: the answer still holds.
      s.writer.exec('BEGIN; INSERT INTO t VALUES (5); ROLLBACK;');
      expect(await memo.remember('count', s.count)).toBe(4);
      expect(s.computations()).toBe(2);

      s.writer.prepare('DELETE FROM t WHERE n = 1').run();
      expect(await memo.remember('count', s.count)).toBe(3);
      expect(s.computations()).toBe(3);
    });
  });
});

it('sees commits from another process', async () => {
  await withMemo('process', 'wal', async (s, memo) => {
    expect(await memo.remember('count', s.count)).toBe(3);
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, ['-e', `const D = require('better-sqlite3'); new D(${JSON.stringify(s.file)}).prepare('INSERT INTO t VALUES (9)').run();`], {
      cwd: path.resolve(__dirname, '../../..'),
    });
    expect(await memo.remember('count', s.count)).toBe(4);
  });
});

it('shares one computation between concurrent requests, and keeps answers apart by key', async () => {
  await withMemo('concurrent', 'wal', async (s, memo) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const slow = async () => {
      started += 1;
      await gate;
      return started;
    };
    const answers = Promise.all([memo.remember('slow', slow), memo.remember('slow', slow), memo.remember('slow', slow)]);
    release();
    expect(await answers).toEqual([1, 1, 1]);
    expect(await memo.remember('other', async () => 'b')).toBe('b');
    expect(await memo.remember('slow', slow)).toBe(1);
  });
});

it('does not keep failures, answers refused by keepIf, or answers under very long keys', async () => {
  await withMemo('refused', 'wal', async (s, memo) => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
      return calls;
    };
    await expect(memo.remember('f', failing)).rejects.toThrow('store unavailable');
    expect(await memo.remember('f', failing)).toBe(2);
    expect(await memo.remember('f', failing)).toBe(2);

    let big = 0;
    const rows = async () => Array.from({ length: ++big }, (_, i) => i);
    const keepIf = (answer: number[]) => answer.length <= 1;
    expect(await memo.remember('rows', rows, { keepIf })).toHaveLength(1);
    expect(await memo.remember('rows', rows, { keepIf })).toHaveLength(1);
    s.writer.prepare('INSERT INTO t VALUES (4)').run();
    expect(await memo.remember('rows', rows, { keepIf })).toHaveLength(2);
    expect(await memo.remember('rows', rows, { keepIf })).toHaveLength(3);

    const long = 'x'.repeat(10_000);
    expect(await memo.remember(long, s.count)).toBe(4);
    const before = s.computations();
    await memo.remember(long, s.count);
    expect(s.computations()).toBe(before + 1);
  });
});

it('drops the least recently used answer past its bound', async () => {
  await withMemo(
    'bounded',
    'wal',
    async (s, memo) => {
      const computed: string[] = [];
      const answer = (key: string) => memo.remember(key, async () => (computed.push(key), key));
      await answer('a');
      await answer('b');
      await answer('a'); // a is now the most recently used
      await answer('c'); // drops b
      await answer('a');
      await answer('b');
      expect(computed).toEqual(['a', 'b', 'c', 'b']);
    },
    2,
  );
});

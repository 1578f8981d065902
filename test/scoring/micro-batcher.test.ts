/**
 * The micro-batcher over a real ONNX session: rows submitted together become one session.run, a
 * batch flushes at maxBatchSize, oversized submissions are cut, outputs go back to their submitters
 * in order, and a failing run rejects every submitter of that batch (and only those).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MicroBatcher, ModelSession } from '../../src/scoring';
import { realVersionDir } from './helpers/models-dir';

const dir = realVersionDir('delivery_risk');
const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
const WIDTH: number = config.input[0].dims[1];

function rows(n: number, seed: number): Float32Array {
  const out = new Float32Array(n * WIDTH);
  for (let i = 0; i < out.length; i++) out[i] = Math.sin(seed * 7919 + i) * 3;
  return out;
}

describe('MicroBatcher', () => {
  let session: ModelSession;

  beforeAll(async () => {
    session = await ModelSession.create(
      path.join(dir, 'model.onnx'),
      { inputName: 'features', outputName: 'probability', width: WIDTH },
      { providers: ['cpu'] },
    );
  });
  afterAll(() => session.release());

  it('coalesces 20 concurrent submissions into one session.run, each getting its own outputs', async () => {
    const batcher = new MicroBatcher({ width: WIDTH, maxBatchSize: 10_000, maxWaitMs: 2, run: (input, n) => session.run(input, n) });
    const inputs = Array.from({ length: 20 }, (_, i) => rows(1 + (i % 5), i));
    const expected = await Promise.all(inputs.map((input) => session.run(input, input.length / WIDTH)));
    const before = session.runs;
    const outputs = await Promise.all(inputs.map((input) => batcher.submit(input, input.length / WIDTH)));
    expect(session.runs - before).toBe(1);
    expect(batcher.stats.runs).toBe(1);
    outputs.forEach((output, i) => {
      expect(output).toHaveLength(expected[i].length);
      output.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6));
    });
  });

  it('flushes at maxBatchSize and cuts oversized submissions', async () => {
    const batcher = new MicroBatcher({ width: WIDTH, maxBatchSize: 8, maxWaitMs: 2, run: (input, n) => session.run(input, n) });
    const big = rows(20, 1);
    const [bigOut, small] = await Promise.all([batcher.submit(big, 20), batcher.submit(rows(3, 2), 3)]);
    expect(bigOut).toHaveLength(20);
    expect(small).toHaveLength(3);
    expect(batcher.stats.largestBatch).toBeLessThanOrEqual(8);
    expect(batcher.stats.runs).toBe(Math.ceil(23 / 8));
    const direct = await session.run(big, 20);
    bigOut.forEach((v, j) => expect(v).toBeCloseTo(direct[j], 6));
  });

  it('waits at most maxWaitMs before running a lone submission', async () => {
    const batcher = new MicroBatcher({ width: WIDTH, maxBatchSize: 10_000, maxWaitMs: 1, run: (input, n) => session.run(input, n) });
    await batcher.submit(rows(1, 3), 1); // warm
    const started = process.hrtime.bigint();
    await batcher.submit(rows(1, 4), 1);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(50); // 1 ms wait + one tiny run; generous for a loaded CI machine
  });

  it('rejects the submitters of a failing run only', async () => {
    let calls = 0;
    const batcher = new MicroBatcher({
      width: WIDTH,
      maxBatchSize: 10_000,
      maxWaitMs: 0,
      run: async (input, n) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return session.run(input, n);
      },
    });
    await expect(Promise.all([batcher.submit(rows(1, 5), 1), batcher.submit(rows(2, 6), 2)])).rejects.toThrow('boom');
    await expect(batcher.submit(rows(1, 7), 1)).resolves.toHaveLength(1);
  });

  it('rejects malformed input and answers empty submissions without a run', async () => {
    const batcher = new MicroBatcher({ width: WIDTH, maxBatchSize: 100, maxWaitMs: 0, run: (input, n) => session.run(input, n) });
    await expect(batcher.submit(new Float32Array(WIDTH + 1), 1)).rejects.toThrow(/expected 1/);
    await expect(batcher.submit(new Float32Array(0), 0)).resolves.toHaveLength(0);
    expect(batcher.stats.runs).toBe(0);
    expect(() => new MicroBatcher({ width: WIDTH, maxBatchSize: 100, maxWaitMs: 5, run: async () => new Float32Array(0) })).toThrow(/2 ms/);
  });
});

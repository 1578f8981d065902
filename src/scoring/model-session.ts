/**
 * One onnxruntime InferenceSession per model, created once at start-up and warmed up with one run.
 * Input: float32 [rows × width] under the config's input name; output: one float per row. Counts
 * its session.run calls and rows (tests assert batching with them; /readyz and benches report them).
 */
import type * as ort from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { createSessionWithFallback, type ProviderLog } from './execution-providers';

export interface ModelSessionOptions {
  providers: readonly string[];
  intraOpNumThreads?: number;
  log?: ProviderLog;
}

export class ModelSession {
  /** session.run calls so far (warm-up excluded). */
  runs = 0;
  /** Rows scored so far (warm-up excluded). */
  rows = 0;

  private constructor(
    readonly inference: ort.InferenceSession,
    readonly provider: string,
    readonly inputName: string,
    readonly outputName: string,
    readonly width: number,
  ) {}

  static async create(modelPath: string, io: { inputName: string; outputName: string; width: number }, options: ModelSessionOptions): Promise<ModelSession> {
    const sessionOptions: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
    if (options.intraOpNumThreads) sessionOptions.intraOpNumThreads = options.intraOpNumThreads;
    const { session, provider } = await createSessionWithFallback(modelPath, options.providers, sessionOptions, options.log);
    return new ModelSession(session, provider, io.inputName, io.outputName, io.width);
  }

  /** One session.run over a warm-up row (e.g. the features' fill values); checks the output's shape. */
  async warmUp(row: Float32Array): Promise<void> {
    const out = await this.execute(row, 1);
    if (out.length !== 1 || !Number.isFinite(out[0])) throw new Error(`warm-up run answered ${out.length} values (${out[0]})`);
  }

  /** Scores `rows` rows of `input` (row-major, `width` floats each) in one session.run. */
  async run(input: Float32Array, rows: number): Promise<Float32Array> {
    this.runs += 1;
    this.rows += rows;
    return this.execute(input, rows);
  }

  private async execute(input: Float32Array, rows: number): Promise<Float32Array> {
    if (input.length !== rows * this.width) throw new Error(`expected ${rows} × ${this.width} floats, got ${input.length}`);
    // onnxruntime-node reads the typed array's whole buffer: hand it a compact copy of a view.
    const data = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input : input.slice();
    const tensor = new Tensor('float32', data, [rows, this.width]);
    const result = await this.inference.run({ [this.inputName]: tensor });
    const output = result[this.outputName];
    const values = output.data as Float32Array;
    if (values.length !== rows) throw new Error(`output "${this.outputName}" has ${values.length} values for ${rows} rows`);
    return values;
  }

  async release(): Promise<void> {
    await this.inference.release();
  }
}

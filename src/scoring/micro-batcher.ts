/**
 * The micro-batcher: coalesces rows submitted by concurrent operations into one model call.
 * A batch is sealed when it reaches maxBatchSize rows, or when maxWaitMs (≤ 2 ms) has passed since
 * its first row and a run slot is free; while maxConcurrentRuns runs are in flight, rows keep
 * coalescing (up to maxBatchSize), which is what raises throughput under load. Each sealed batch is
 * one `run` (one session.run); its outputs are split back to the submitters in order. A submission
 * larger than maxBatchSize is cut into maxBatchSize chunks.
 */
export interface MicroBatcherOptions {
  /** Floats per input row. */
  width: number;
  maxBatchSize: number;
  /** 0: flush on the next turn of the event loop. */
  maxWaitMs: number;
  maxConcurrentRuns?: number;
  /** Scores `rows` rows (row-major) and answers one value per row. */
  run(input: Float32Array, rows: number): Promise<Float32Array>;
}

interface Pending {
  input: Float32Array;
  rows: number;
  resolve(output: Float32Array): void;
  reject(error: unknown): void;
}

interface Batch {
  parts: Pending[];
  rows: number;
  due: boolean;
}

export interface MicroBatcherStats {
  runs: number;
  rows: number;
  submissions: number;
  largestBatch: number;
}

export class MicroBatcher {
  private open: Batch | null = null;
  private readonly sealed: Batch[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private inFlight = 0;
  private readonly maxConcurrentRuns: number;
  readonly stats: MicroBatcherStats = { runs: 0, rows: 0, submissions: 0, largestBatch: 0 };

  constructor(private readonly options: MicroBatcherOptions) {
    if (!(options.maxBatchSize >= 1)) throw new Error('maxBatchSize must be ≥ 1');
    if (!(options.maxWaitMs >= 0 && options.maxWaitMs <= 2)) throw new Error('maxWaitMs must be within 0..2 ms');
    this.maxConcurrentRuns = Math.max(1, options.maxConcurrentRuns ?? 1);
  }

  /** Scores `rows` rows; resolves with their outputs once the batch they joined has run. */
  submit(input: Float32Array, rows: number): Promise<Float32Array> {
    const { width, maxBatchSize } = this.options;
    if (input.length !== rows * width) return Promise.reject(new Error(`expected ${rows} × ${width} floats, got ${input.length}`));
    if (rows === 0) return Promise.resolve(new Float32Array(0));
    this.stats.submissions += 1;
    if (rows > maxBatchSize) {
      const chunks: Promise<Float32Array>[] = [];
      for (let start = 0; start < rows; start += maxBatchSize) {
        const n = Math.min(maxBatchSize, rows - start);
        chunks.push(this.enqueue(input.subarray(start * width, (start + n) * width), n));
      }
      return Promise.all(chunks).then((outputs) => {
        const all = new Float32Array(rows);
        let offset = 0;
        for (const output of outputs) {
          all.set(output, offset);
          offset += output.length;
        }
        return all;
      });
    }
    return this.enqueue(input, rows);
  }

  /** Rows submitted and not yet handed to a run (the open batch and sealed batches waiting for a slot). */
  get queuedRows(): number {
    return (this.open?.rows ?? 0) + this.sealed.reduce((sum, batch) => sum + batch.rows, 0);
  }

  private enqueue(input: Float32Array, rows: number): Promise<Float32Array> {
    return new Promise<Float32Array>((resolve, reject) => {
      if (this.open && this.open.rows + rows > this.options.maxBatchSize) this.seal();
      if (!this.open) {
        this.open = { parts: [], rows: 0, due: false };
        this.startTimer();
      }
      this.open.parts.push({ input, rows, resolve, reject });
      this.open.rows += rows;
      if (this.open.rows >= this.options.maxBatchSize) this.seal();
      this.pump();
    });
  }

  private startTimer(): void {
    const fire = () => {
      this.timer = null;
      if (this.open) this.open.due = true;
      this.pump();
    };
    this.timer = this.options.maxWaitMs === 0 ? setImmediate(fire) : setTimeout(fire, this.options.maxWaitMs);
  }

  private clearTimer(): void {
    if (!this.timer) return;
    if (this.options.maxWaitMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = null;
  }

  private seal(): void {
    if (!this.open) return;
    this.clearTimer();
    this.sealed.push(this.open);
    this.open = null;
  }

  /** Starts runs while slots are free: sealed batches first, then the open batch once it is due. */
  private pump(): void {
    while (this.inFlight < this.maxConcurrentRuns) {
      if (this.sealed.length === 0 && this.open?.due) this.seal();
      const batch = this.sealed.shift();
      if (!batch) return;
      void this.execute(batch);
    }
  }

  private async execute(batch: Batch): Promise<void> {
    const { width } = this.options;
    this.inFlight += 1;
    this.stats.runs += 1;
    this.stats.rows += batch.rows;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.rows);
    try {
      let input: Float32Array;
      if (batch.parts.length === 1) {
        input = batch.parts[0].input;
      } else {
        input = new Float32Array(batch.rows * width);
        let offset = 0;
        for (const part of batch.parts) {
          input.set(part.input, offset);
          offset += part.input.length;
        }
      }
      const output = await this.options.run(input, batch.rows);
      if (output.length !== batch.rows) throw new Error(`the model answered ${output.length} values for ${batch.rows} rows`);
      let offset = 0;
      for (const part of batch.parts) {
        part.resolve(output.slice(offset, offset + part.rows));
        offset += part.rows;
      }
    } catch (error) {
      for (const part of batch.parts) part.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }
}

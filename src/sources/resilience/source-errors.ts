/** An attempt (or the wait for a concurrency slot) outlived its time budget. */
export class SourceTimeoutError extends Error {
  constructor(source: string, timeoutMs: number, what = 'call') {
    super(`${source}: ${what} timed out after ${timeoutMs} ms`);
    this.name = 'SourceTimeoutError';
  }
}

/** Rejects with SourceTimeoutError when `promise` has not settled within `timeoutMs` (the work itself goes on). */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, source: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SourceTimeoutError(source, timeoutMs)), Math.max(0, timeoutMs));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

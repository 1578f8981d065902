/**
 * The one retry loop of the code base: exponential backoff with full jitter, bounded by a number of
 * retries and, optionally, by a deadline after which no new attempt starts. Used by the source guard
 * and by the review service client (per HTTP request).
 */
export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** Retry n waits a random time in [0, backoffMs * 2^(n-1)). */
  backoffMs: number;
  /** Epoch milliseconds: no retry is started (or slept towards) past this time. */
  deadline?: number;
  /** Whether a failure is worth another attempt (default: every failure). */
  isRetryable?: (error: unknown) => boolean;
  /** Source of randomness for the jitter (tests may fix it). */
  random?: () => number;
}

/** Runs `attempt(1)`, then `attempt(2)`, ... until one succeeds or retrying is over; rethrows the last failure. */
export async function retryWithBackoff<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber > options.retries || !(options.isRetryable?.(error) ?? true)) throw error;
      const wait = random() * options.backoffMs * 2 ** (attemptNumber - 1);
      if (options.deadline !== undefined && Date.now() + wait >= options.deadline) throw error;
      await sleep(wait);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import CircuitBreaker from 'opossum';
import { GraphQLError } from 'graphql';
import type { SourcePolicy } from '../../config/resilience-config';
import { ErrorCode, sourceUnavailable } from '../../shared/errors';
import { BoundedSemaphore, QueueFullError } from './bounded-semaphore';
import { retryWithBackoff } from './retry';
import { SourceTimeoutError, withTimeout } from './source-errors';
import { emitBreakerState, emitSourceCall, type BreakerState, type SourceCallOutcome } from './source-call-hooks';

/** What /readyz shows about one source. */
export interface SourceHealth {
  source: string;
  /** Which back-end it runs on (no secrets), when known. */
  backend?: string;
  breaker: BreakerState;
  inFlight: number;
  queued: number;
  /** The last failed call, if any since start. */
  lastError?: { message: string; at: string };
}

export interface SourceGuard {
  readonly source: string;
  health(): SourceHealth;
  /** Stops the breaker's timers. */
  close(): void;
}

/** A call above this many keys (or page rows) is a bulk read and gets `bulkTimeoutMs`. */
const BULK_KEYS = 1000;

/**
 * Returns `target` with each method named in `operations` protected by `policy`: a slot from the
 * source's bounded semaphore, a timeout per attempt, retries with backoff inside a total deadline of
 * (retries + 1) × timeout, all behind the source's circuit breaker. Any failure becomes
 * SOURCE_UNAVAILABLE naming the source; coded GraphQL errors (bad input) pass through untouched and
 * count neither as failures nor for retries. Every other member is inherited from `target` unchanged.
 */
export function guardSource<T extends object>(
  source: string,
  target: T,
  operations: readonly (keyof T & string)[],
  policy: SourcePolicy,
  backend?: string,
): { guarded: T; guard: SourceGuard } {
  const semaphore = new BoundedSemaphore(source, policy.maxConcurrent, policy.maxQueue);
  let lastError: SourceHealth['lastError'];
  let state: BreakerState = 'closed';

  const attemptOnce = async (operation: string, args: unknown[], attempt: number, deadline: number, timeoutMs: number) => {
    const release = await semaphore.acquire(deadline - Date.now()).catch((error: unknown) => {
      report(operation, 0, error instanceof QueueFullError ? 'rejected' : 'timeout', attempt, error);
      throw error;
    });
    const started = Date.now();
    const work = Promise.resolve().then(() => (target[operation as keyof T] as (...a: unknown[]) => unknown).apply(target, args));
    // The slot is held until the back-end has really answered, even after a timeout: the bound is on real work.
    work.then(release, release);
    try {
      const result = await withTimeout(work, Math.min(timeoutMs, deadline - started), source);
      report(operation, Date.now() - started, 'ok', attempt);
      return result;
    } catch (error) {
      if (!isPassThrough(error)) report(operation, Date.now() - started, error instanceof SourceTimeoutError ? 'timeout' : 'error', attempt, error);
      throw error;
    }
  };

  const action = async (operation: string, args: unknown[]) => {
    const timeoutMs = isBulk(operation, args) ? policy.bulkTimeoutMs : policy.timeoutMs;
    const deadline = Date.now() + timeoutMs * (policy.retries + 1);
    return retryWithBackoff((attempt) => attemptOnce(operation, args, attempt, deadline, timeoutMs), {
      retries: policy.retries,
      backoffMs: policy.backoffMs,
      deadline,
      isRetryable: (error) => !isPassThrough(error) && !(error instanceof QueueFullError),
    });
  };

  const breaker = new CircuitBreaker(action, {
    name: source,
    timeout: false,
    errorThresholdPercentage: policy.errorThresholdPercentage,
    volumeThreshold: policy.volumeThreshold,
    resetTimeout: policy.resetTimeoutMs,
    rollingCountTimeout: policy.rollingWindowMs,
    rollingCountBuckets: 10,
    enableSnapshots: false,
    // Bad input and a full queue say nothing about the source's health.
    errorFilter: (error: unknown) => isPassThrough(error) || error instanceof QueueFullError,
  });
  const transition = (next: BreakerState) => () => {
    state = next;
    emitBreakerState(source, next);
  };
  breaker.on('open', transition('open'));
  breaker.on('halfOpen', transition('half-open'));
  breaker.on('close', transition('closed'));

  function report(operation: string, durationMs: number, outcome: SourceCallOutcome, attempt: number, error?: unknown) {
    if (outcome !== 'ok') lastError = { message: describe(error), at: new Date().toISOString() };
    emitSourceCall({ source, operation, durationMs, outcome, attempt, ...(outcome !== 'ok' ? { error: describe(error) } : {}) });
  }

  const guarded: T = Object.create(target);
  for (const operation of operations) {
    Object.defineProperty(guarded, operation, {
      value: async (...args: unknown[]) => {
        try {
          return await breaker.fire(operation, args);
        } catch (error) {
          if (isPassThrough(error)) throw error;
          if (isOpenBreaker(error)) report(operation, 0, 'short-circuit', 1, error);
          throw sourceUnavailable(source, error);
        }
      },
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  const guard: SourceGuard = {
    source,
    health: () => ({
      source,
      ...(backend ? { backend } : {}),
      breaker: state,
      inFlight: semaphore.inFlight,
      queued: semaphore.queued,
      ...(lastError ? { lastError } : {}),
    }),
    close: () => breaker.shutdown(),
  };
  return { guarded, guard };
}

/** Errors that are the caller's, not the source's: coded GraphQL errors other than SOURCE_UNAVAILABLE. */
function isPassThrough(error: unknown): boolean {
  return error instanceof GraphQLError && error.extensions?.code !== ErrorCode.SourceUnavailable;
}

function isOpenBreaker(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'EOPENBREAKER';
}

/** Aggregates read every row of their range, like a full scan (orders.orderStats over a quarter reads ~20k orders). */
const AGGREGATES = new Set(['orderStats', 'orderStatsWithLookups']);

function isBulk(operation: string, args: unknown[]): boolean {
  if (operation.startsWith('all') || AGGREGATES.has(operation)) return true;
  const first = args[0];
  if (Array.isArray(first)) return first.length > BULK_KEYS;
  const limit = typeof first === 'object' && first !== null ? (first as { limit?: unknown }).limit : undefined;
  return typeof limit === 'number' && limit > BULK_KEYS;
}

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  return (
    String((error as { message: unknown }).message)
      .split('\n')
      .find((line) => line.trim() !== '') ?? 'error'
  );
}

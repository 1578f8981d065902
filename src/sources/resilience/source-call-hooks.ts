/**
 * What the source guard reports about every call it makes, for metrics, traces and logs.
 * One process-wide registry: observers (Prometheus, OpenTelemetry, pino) call `addSourceCallHooks`
 * once at start-up; the guard calls every registered observer synchronously after each attempt and
 * on every breaker transition. An observer that throws is ignored (it must never fail a query).
 */

/** How one attempt ended. `rejected`: the source's queue was full; `short-circuit`: its breaker was open. */
export type SourceCallOutcome = 'ok' | 'error' | 'timeout' | 'rejected' | 'short-circuit';

/** The circuit breaker of one source: `open` fails fast, `half-open` lets one probe call through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface SourceCallEvent {
  /** The source system: crm, catalog, orders, reviews, geography. */
  source: string;
  /** The connector method called, e.g. `accountsByIds`. */
  operation: string;
  /** This attempt's time, from its start (after waiting for a concurrency slot) to its end. */
  durationMs: number;
  outcome: SourceCallOutcome;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** The error's message when the outcome is not `ok`. */
  error?: string;
}

export interface SourceCallHooks {
  onCall?(event: SourceCallEvent): void;
  onBreakerState?(source: string, state: BreakerState): void;
}

const registered = new Set<SourceCallHooks>();

/** Registers an observer; returns a function that removes it (for tests and shutdown). */
export function addSourceCallHooks(hooks: SourceCallHooks): () => void {
  registered.add(hooks);
  return () => {
    registered.delete(hooks);
  };
}

export function emitSourceCall(event: SourceCallEvent): void {
  for (const hooks of registered) {
    try {
      hooks.onCall?.(event);
    } catch {
      // observers never fail a query
    }
  }
}

export function emitBreakerState(source: string, state: BreakerState): void {
  for (const hooks of registered) {
    try {
      hooks.onBreakerState?.(source, state);
    } catch {
      // observers never fail a query
    }
  }
}

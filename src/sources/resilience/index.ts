/**
 * sources/resilience: per-source protection applied to every connector at serve time — bounded
 * concurrency (a semaphore with a bounded queue), a timeout per attempt, retries of the (idempotent)
 * reads with exponential backoff and full jitter inside a total deadline, and an opossum circuit breaker
 * per source. Failures surface as SOURCE_UNAVAILABLE naming the source; bad input passes through.
 *
 * Observability: implement `SourceCallHooks` and register it with `addSourceCallHooks` (one event per
 * attempt, one per breaker transition); `sourceHealth()` of a guarded source feeds /readyz.
 */
export * from './source-call-hooks';
export * from './retry';
export * from './source-errors';
export * from './bounded-semaphore';
export * from './guard-source';
export * from './guard-sources';

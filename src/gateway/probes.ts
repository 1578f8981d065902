/**
 * Liveness and readiness endpoints. /healthz answers 200 while the event loop runs. /readyz is reached
 * only once sources are open and the schema is built; it answers 503 while the server drains (shutting
 * down) and 200 otherwise, `status: "degraded"` when a source's circuit breaker is not closed or a model
 * is unavailable: the process still serves every other field, so an orchestrator should keep it.
 * `live` adds details computed at each probe (each source's breaker, the models with their execution provider).
 */
export function healthProbes(details: Record<string, unknown>, live?: () => Record<string, unknown>) {
  const startedAt = new Date().toISOString();
  return {
    '/healthz': async () => ({ status: 200, body: { status: 'ok' } }),
    '/readyz': async (state: { draining: boolean } = { draining: false }) => {
      const now = live ? live() : {};
      const status = state.draining ? 'draining' : isDegraded(now) ? 'degraded' : 'ready';
      return { status: state.draining ? 503 : 200, body: { status, startedAt, ...details, ...now } };
    },
  };
}

function isDegraded(live: Record<string, unknown>): boolean {
  const sources = Array.isArray(live.sources) ? (live.sources as { breaker?: string }[]) : [];
  const scoring = live.scoring as { models?: { status?: string }[] } | undefined;
  return sources.some((source) => source.breaker !== 'closed') || (scoring?.models ?? []).some((model) => model.status !== 'ready');
}

/**
 * Liveness and readiness endpoints. Readiness is reached only once sources are open and the schema is built;
 * `live` adds details computed at each probe (the scoring models with their execution provider, the feature store).
 */
export function healthProbes(details: Record<string, unknown>, live?: () => Record<string, unknown>) {
  const startedAt = new Date().toISOString();
  return {
    '/healthz': async () => ({ status: 200, body: { status: 'ok' } }),
    '/readyz': async () => ({ status: 200, body: { status: 'ready', startedAt, ...details, ...(live ? live() : {}) } }),
  };
}

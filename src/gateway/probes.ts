/** Liveness and readiness endpoints. Readiness is reached only once sources are open and the schema is built. */
export function healthProbes(details: Record<string, unknown>) {
  const startedAt = new Date().toISOString();
  return {
    '/healthz': async () => ({ status: 200, body: { status: 'ok' } }),
    '/readyz': async () => ({ status: 200, body: { status: 'ready', startedAt, ...details } }),
  };
}

import type { SourcesConfig } from '../../src/config/fusion-config';
import { embeddedStorePaths } from '../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';

const KEY = '__fusionReviewsService__';

/**
 * When the configured review service is on this machine and not answering, serve the seeded JSONL store there
 * (what `serve-reviews` does), for the whole test run. A remote or already running service is left alone.
 */
export async function ensureReviewsService(config: SourcesConfig): Promise<void> {
  const reviews = config.sources.reviews;
  if (reviews.kind !== 'rest') return;
  const url = new URL(reviews.baseUrl);
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1000) });
    if (response.ok) return;
  } catch {
    // nothing answers: start it below
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`The review service at ${reviews.baseUrl} does not answer`);
  const service = await startReviewsService({ file: embeddedStorePaths(config.dataDir).reviews, port: Number(url.port || 80), host: '127.0.0.1' });
  (globalThis as Record<string, unknown>)[KEY] = service;
}

export async function stopReviewsService(): Promise<void> {
  const service = (globalThis as Record<string, unknown>)[KEY] as RunningReviewsService | undefined;
  await service?.close();
}

import type { SourcesConfig } from '../config/fusion-config';
import type { ChangeEvent, EventPublisher } from '../events';
import { SourceWriter } from './source-writer';

export interface ReplayOptions {
  sources: SourcesConfig;
  publisher: EventPublisher;
  /** History ms per wall ms (`speed`), or changes per second (`rate`); null: as fast as possible. */
  pace: { speed: number } | { rate: number } | null;
  onProgress?: (played: number) => void;
  /** Stops the replay before the next change when it returns true (tests stop mid-replay). */
  shouldStop?: () => boolean;
}

export interface ReplayReport {
  played: number;
  duplicates: number;
  elapsedMs: number;
  ratePerSecond: number;
}

function historyMs(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/**
 * Plays changes as live traffic: each is written into the source systems, then published (so a consumer
 * that reads the sources on an event finds the change there). Paced by history time or by a fixed rate.
 */
export async function replayHistory(history: readonly ChangeEvent[], options: ReplayOptions): Promise<ReplayReport> {
  const writer = await SourceWriter.open(options.sources);
  const started = Date.now();
  const firstAt = history.length ? historyMs(history[0].occurredAt) : 0;
  let played = 0;
  const before = options.publisher.stats().duplicates;
  try {
    for (const event of history) {
      if (options.shouldStop?.()) break;
      const pace = options.pace;
      if (pace) {
        const due = 'speed' in pace ? (historyMs(event.occurredAt) - firstAt) / pace.speed : (played * 1000) / pace.rate;
        const wait = started + due - Date.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await writer.write(event);
      await options.publisher.publish(event);
      played += 1;
      options.onProgress?.(played);
    }
  } finally {
    await writer.close();
  }
  const elapsedMs = Date.now() - started;
  return { played, duplicates: options.publisher.stats().duplicates - before, elapsedMs, ratePerSecond: played / Math.max(elapsedMs / 1000, 0.001) };
}

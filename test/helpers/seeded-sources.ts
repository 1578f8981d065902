/**
 * The connectors over the stores globalSetup seeded from the real dataset (FUSION_DATA_DIR, default ./data),
 * with a query log so tests can count the statements each batch really runs.
 */
import { SourceQueryLog, type Sources } from '../../src/sources';
import { openTestSources } from './backends';

export interface SeededSources {
  sources: Sources;
  log: SourceQueryLog;
}

export async function openSeededSources(): Promise<SeededSources> {
  const log = new SourceQueryLog();
  const sources = await openTestSources(log);
  return { sources, log };
}

/** Runs `call` with a clean query log and returns its result with the statements it ran per source. */
export async function counted<T>(log: SourceQueryLog, call: () => Promise<T>): Promise<{ result: T; statements: Record<string, number> }> {
  log.reset();
  const result = await call();
  const statements = log.snapshot();
  log.reset();
  return { result, statements };
}

/** An id no Olist table holds (32 hex digits, like real ids). */
export const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';

/** `ids` with an unknown id in the middle and the first id repeated at the end. */
export function withUnknownAndDuplicate(ids: readonly string[], unknown = UNKNOWN_ID): string[] {
  const middle = Math.floor(ids.length / 2);
  return [...ids.slice(0, middle), unknown, ...ids.slice(middle), ids[0]];
}

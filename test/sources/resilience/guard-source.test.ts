/**
 * The source guard around a real connector (the geography source over the seeded CSV) and around a small
 * controllable target for the failure paths: retries, pass-through of bad input, timeouts, the circuit
 * breaker (open, fail fast, half-open probe, close), bounded concurrency, bulk timeouts, and the hooks.
 */
import { GraphQLError } from 'graphql';
import { DEFAULT_SOURCE_POLICY, type SourcePolicy } from '../../../src/config/resilience-config';
import { badUserInput } from '../../../src/shared/errors';
import { embeddedStorePaths, GeographySource } from '../../../src/sources';
import { addSourceCallHooks, guardSource, type BreakerState, type SourceCallEvent } from '../../../src/sources/resilience';
import { configFromEnv } from '../../../src/shared';
import { waitUntil } from '../../reliability/fault-helpers';

const policy = (overrides: Partial<SourcePolicy> = {}): SourcePolicy => ({ ...DEFAULT_SOURCE_POLICY, backoffMs: 1, ...overrides });

let events: SourceCallEvent[] = [];
let transitions: [string, BreakerState][] = [];
let removeHooks: () => void;
beforeEach(() => {
  events = [];
  transitions = [];
  removeHooks = addSourceCallHooks({ onCall: (event) => events.push(event), onBreakerState: (source, state) => transitions.push([source, state]) });
});
afterEach(() => removeHooks());

/** A connector whose next answers the test decides. */
class Controllable {
  calls = 0;
  failuresLeft = 0;
  gate: Promise<void> = Promise.resolve();
  async lookup(keys: readonly string[]): Promise<string[]> {
    this.calls += 1;
    await this.gate;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('connection refused');
    }
    return keys.map((key) => key.toUpperCase());
  }
  async allRows(): Promise<string[]> {
    await this.gate;
    return ['everything'];
  }
  async orderStats(_query: { groupBy: string[] }): Promise<string[]> {
    await this.gate;
    return ['grouped'];
  }
  async validate(value: string): Promise<string> {
    this.calls += 1;
    throw badUserInput(`"${value}" is not valid`, 'value');
  }
}

function gated(): { gate: Promise<void>; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open };
}

test('a real connector answers through the guard exactly as without it, and each call is reported', async () => {
  const geography = GeographySource.open(embeddedStorePaths(configFromEnv().dataDir).geography);
  const { guarded, guard } = guardSource('geography', geography, ['locationsByZipPrefixes'], policy(), 'csv test');
  try {
    const prefixes = ['01037', '99999', '01037'];
    expect(await guarded.locationsByZipPrefixes(prefixes)).toEqual(await geography.locationsByZipPrefixes(prefixes));
    expect(guarded.allByPrefix()).toBe(geography.allByPrefix());
    expect(events).toEqual([expect.objectContaining({ source: 'geography', operation: 'locationsByZipPrefixes', outcome: 'ok', attempt: 1 })]);
    expect(guard.health()).toEqual({ source: 'geography', backend: 'csv test', breaker: 'closed', inFlight: 0, queued: 0 });
  } finally {
    guard.close();
  }
});

test('failures are retried, then surface as SOURCE_UNAVAILABLE naming the source', async () => {
  const target = new Controllable();
  const { guarded, guard } = guardSource('crm', target, ['lookup'], policy({ retries: 2 }));
  try {
    target.failuresLeft = 2;
    expect(await guarded.lookup(['a'])).toEqual(['A']);
    expect(events.map((event) => [event.outcome, event.attempt])).toEqual([
      ['error', 1],
      ['error', 2],
      ['ok', 3],
    ]);
    target.failuresLeft = 10;
    const error = await guarded.lookup(['b']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'crm' });
    expect((error as GraphQLError).message).toBe('Source "crm" is unavailable');
    expect(guard.health().lastError?.message).toBe('connection refused');
  } finally {
    guard.close();
  }
});

test('bad input passes through untouched: not retried, not counted against the source', async () => {
  const target = new Controllable();
  const { guarded, guard } = guardSource('catalog', target, ['validate'], policy({ volumeThreshold: 1, errorThresholdPercentage: 1 }));
  try {
    for (let i = 0; i < 5; i += 1) {
      const error = (await guarded.validate('zz').catch((caught: unknown) => caught)) as GraphQLError;
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'value' });
    }
    expect(target.calls).toBe(5);
    expect(guard.health().breaker).toBe('closed');
    expect(transitions).toEqual([]);
  } finally {
    guard.close();
  }
});

test('an attempt that never answers times out; a bulk read gets the bulk timeout', async () => {
  const target = new Controllable();
  const hang = gated();
  target.gate = hang.gate;
  const { guarded, guard } = guardSource('orders', target, ['lookup', 'allRows', 'orderStats'], policy({ timeoutMs: 30, bulkTimeoutMs: 60_000, retries: 1 }));
  try {
    const bulk = guarded.allRows();
    const aggregate = guarded.orderStats({ groupBy: ['month'] }); // an aggregate scans its range: bulk too
    const error = (await guarded.lookup(['a']).catch((caught: unknown) => caught)) as GraphQLError;
    expect(error.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    expect(events.filter((event) => event.operation === 'lookup').map((event) => [event.outcome, event.attempt])).toEqual([
      ['timeout', 1],
      ['timeout', 2],
    ]);
    // The slots stay held until the back-end answers: bounded concurrency counts real work.
    expect(guard.health().inFlight).toBe(4);
    hang.open();
    expect(await bulk).toEqual(['everything']);
    expect(await aggregate).toEqual(['grouped']);
    await waitUntil(async () => guard.health().inFlight === 0, { timeoutMs: 5000, what: 'slots released' });
  } finally {
    guard.close();
  }
});

test('the breaker opens on repeated failures, fails fast, and closes after a successful half-open probe', async () => {
  const target = new Controllable();
  const { guarded, guard } = guardSource(
    'reviews',
    target,
    ['lookup'],
    policy({ retries: 0, volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 200 }),
  );
  try {
    target.failuresLeft = 1000;
    for (let i = 0; i < 3; i += 1) await guarded.lookup(['x']).catch(() => undefined);
    expect(guard.health().breaker).toBe('open');
    const callsWhenOpen = target.calls;
    const error = (await guarded.lookup(['x']).catch((caught: unknown) => caught)) as GraphQLError;
    expect(error.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'reviews' });
    expect(target.calls).toBe(callsWhenOpen);
    expect(events.at(-1)).toMatchObject({ outcome: 'short-circuit', source: 'reviews' });

    target.failuresLeft = 0;
    await waitUntil(async () => guard.health().breaker === 'half-open', { timeoutMs: 5000, what: 'half-open' });
    expect(await guarded.lookup(['y'])).toEqual(['Y']);
    expect(guard.health().breaker).toBe('closed');
    expect(transitions).toEqual([
      ['reviews', 'open'],
      ['reviews', 'half-open'],
      ['reviews', 'closed'],
    ]);
  } finally {
    guard.close();
  }
});

test('bounded concurrency: calls beyond the slots wait, beyond the queue they are rejected at once', async () => {
  const target = new Controllable();
  const hold = gated();
  target.gate = hold.gate;
  const { guarded, guard } = guardSource('catalog', target, ['lookup'], policy({ maxConcurrent: 2, maxQueue: 1, retries: 0 }));
  try {
    const running = [guarded.lookup(['a']), guarded.lookup(['b']), guarded.lookup(['c'])];
    await waitUntil(async () => guard.health().inFlight === 2 && guard.health().queued === 1, { timeoutMs: 5000, what: '2 running, 1 queued' });
    const rejected = (await guarded.lookup(['d']).catch((caught: unknown) => caught)) as GraphQLError;
    expect(rejected.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'catalog' });
    expect(events.at(-1)).toMatchObject({ outcome: 'rejected', operation: 'lookup' });
    expect(target.calls).toBe(2);
    hold.open();
    expect(await Promise.all(running)).toEqual([['A'], ['B'], ['C']]);
    expect(guard.health().breaker).toBe('closed');
  } finally {
    guard.close();
  }
});

import { BoundedSemaphore, QueueFullError, retryWithBackoff, SourceTimeoutError } from '../../../src/sources/resilience';

describe('retryWithBackoff', () => {
  test('retries until an attempt succeeds', async () => {
    const seen: number[] = [];
    const result = await retryWithBackoff(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`failure ${attempt}`);
        return 'ok';
      },
      { retries: 5, backoffMs: 1 },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  test('gives up after `retries` retries with the last failure', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async (attempt) => {
          calls += 1;
          throw new Error(`failure ${attempt}`);
        },
        { retries: 2, backoffMs: 1 },
      ),
    ).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });

  test('does not retry what is not retryable', async () => {
    let calls = 0;
    const failure = new Error('bad input');
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          throw failure;
        },
        { retries: 5, backoffMs: 1, isRetryable: (error) => error !== failure },
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  test('starts no retry whose backoff would end past the deadline', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          throw new Error('down');
        },
        // random() = 1 makes the first backoff the full 60 s, far past a deadline 1 s away
        { retries: 5, backoffMs: 60_000, deadline: Date.now() + 1000, random: () => 0.999 },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});

describe('BoundedSemaphore', () => {
  test('admits `limit` holders, queues up to `maxQueue`, rejects beyond, hands slots over in order', async () => {
    const semaphore = new BoundedSemaphore('test', 2, 1);
    const first = await semaphore.acquire(1000);
    await semaphore.acquire(1000);
    expect(semaphore.inFlight).toBe(2);
    let thirdGranted = false;
    const third = semaphore.acquire(10_000).then((release) => {
      thirdGranted = true;
      return release;
    });
    expect(semaphore.queued).toBe(1);
    await expect(semaphore.acquire(1000)).rejects.toBeInstanceOf(QueueFullError);
    expect(thirdGranted).toBe(false);
    first();
    first(); // idempotent: a second release frees nothing more
    const releaseThird = await third;
    expect(thirdGranted).toBe(true);
    expect(semaphore.inFlight).toBe(2);
    expect(semaphore.queued).toBe(0);
    releaseThird();
    expect(semaphore.inFlight).toBe(1);
  });

  test('a waiter gives up at its timeout and leaves the queue', async () => {
    const semaphore = new BoundedSemaphore('test', 1, 5);
    await semaphore.acquire(1000);
    await expect(semaphore.acquire(20)).rejects.toBeInstanceOf(SourceTimeoutError);
    expect(semaphore.queued).toBe(0);
  });
});

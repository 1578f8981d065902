import { SourceTimeoutError } from './source-errors';

export class QueueFullError extends Error {
  constructor(source: string, maxQueue: number) {
    super(`${source}: ${maxQueue} calls already waiting`);
    this.name = 'QueueFullError';
  }
}

interface Waiter {
  grant(): void;
}

/**
 * At most `limit` holders at once; up to `maxQueue` more wait in arrival order (a wait is bounded by a
 * timeout), beyond that `acquire` fails at once. Each holder gets a release function; it is idempotent.
 */
export class BoundedSemaphore {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly source: string,
    private readonly limit: number,
    private readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(timeoutMs: number): Promise<() => void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(new QueueFullError(this.source, this.maxQueue));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.releaser());
        },
      };
      const timer = setTimeout(
        () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new SourceTimeoutError(this.source, timeoutMs, 'waiting for a free slot'));
        },
        Math.max(0, timeoutMs),
      );
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; `active` only drops when nobody waits.
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}

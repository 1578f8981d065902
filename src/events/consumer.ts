import { AckPolicy, DeliverPolicy, nanos, type JsMsg, type NatsConnection } from 'nats';
import { parseChangeEvent, type ChangeEvent } from './change-event';
import { connectEvents, ensureStream, type EventsConfig } from './connection';
import { checkStreamName, streamSubjects } from './subjects';

/** What the handler is told about a delivery besides the event. */
export interface Delivery {
  /** The event's stream sequence (increasing in publish order). */
  sequence: number;
  /** True when JetStream delivered it before without an acknowledgement (a crash or restart in between). */
  redelivered: boolean;
}

export interface EventConsumerOptions {
  /** The durable consumer's name: its position (the last acknowledged event) is kept by the server under it. */
  durable: string;
  /** Called once per event, in stream order; the event is acknowledged when it resolves. */
  handle: (event: ChangeEvent, delivery: Delivery) => Promise<void> | void;
  /** Called for a message that is not a change event (it is terminated: never redelivered). */
  onMalformed?: (error: Error, sequence: number) => void;
  /** Called when `handle` throws: the same event is retried after `retryDelayMs` (later events wait: order is kept). */
  onError?: (error: Error, event: ChangeEvent) => void;
  /** How many event ids are remembered to drop a second delivery of one event. @default 100_000 */
  rememberIds?: number;
  /** @default 1000 */
  retryDelayMs?: number;
  /** How long the server waits for an acknowledgement before redelivering (a crashed consumer's events). @default 30_000 */
  ackWaitMs?: number;
}

export interface ConsumerStats {
  delivered: number;
  applied: number;
  /** Deliveries of an event already applied (redeliveries after a restart, or resends under a new sequence). */
  duplicates: number;
  malformed: number;
  failures: number;
  /** Stream sequence of the last event applied (0 before the first). */
  lastSequence: number;
}

/**
 * A durable JetStream pull consumer over every subject of the stream: at-least-once (explicit acks, an
 * unacknowledged event is redelivered), one event at a time in stream order (so each entity's events, on
 * their own subject, stay in order), idempotent by event id (an id seen before is acknowledged and skipped).
 * The position lives in the server under the durable name: a restart resumes after the last acknowledged
 * event, in order. One process per durable name (each gateway replica keeps its own derived state, so each
 * has its own durable consumer). The handler must itself be idempotent for the one case ids do not cover (applied, then the process
 * died before the acknowledgement): the live feature store checks each change against the state it holds.
 */
export class EventConsumer {
  private readonly seen = new Map<string, true>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly counts: ConsumerStats = { delivered: 0, applied: 0, duplicates: 0, malformed: 0, failures: 0, lastSequence: 0 };

  private constructor(
    private readonly nc: NatsConnection,
    readonly stream: string,
    private readonly options: EventConsumerOptions,
  ) {}

  /** Connects, creates the stream and the durable consumer when missing, and starts consuming. */
  static async start(config: EventsConfig, options: EventConsumerOptions): Promise<EventConsumer> {
    checkStreamName(options.durable);
    const nc = await connectEvents(config, `fusion-gateway consumer ${options.durable}`);
    const consumer = new EventConsumer(nc, config.stream, options);
    try {
      await consumer.begin();
    } catch (error) {
      await nc.close();
      throw error;
    }
    return consumer;
  }

  private async begin(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await ensureStream(jsm, this.stream);
    // The position: the server's acknowledgement floor under the durable name (every event up to it was
    // applied and acknowledged). A restart re-creates the consumer at floor + 1, so the events after it come
    // in stream order; JetStream would otherwise redeliver the unacknowledged ones after newer events.
    let floor = 0;
    try {
      floor = (await jsm.consumers.info(this.stream, this.options.durable)).ack_floor.stream_seq;
      await jsm.consumers.delete(this.stream, this.options.durable);
    } catch (error) {
      if (!/consumer not found/i.test((error as Error).message)) throw error;
    }
    await jsm.consumers.add(this.stream, {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      ...(floor > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 } : { deliver_policy: DeliverPolicy.All }),
      filter_subject: streamSubjects(this.stream),
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      max_ack_pending: 1000,
    });
    this.counts.lastSequence = floor;
    const consumer = await this.nc.jetstream().consumers.get(this.stream, this.options.durable);
    // Batches fetched one after the other, each read to its end (a stop naks the rest of the batch), so that no
    // delivered event is left waiting for the ack timeout while later ones go to the next consumer: order holds
    // across restarts.
    this.loop = (async () => {
      while (!this.stopping) {
        const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
        for await (const message of batch) await this.receive(message);
      }
    })();
  }

  private async receive(message: JsMsg): Promise<void> {
    this.counts.delivered += 1;
    if (this.stopping) {
      message.nak();
      return;
    }
    let event: ChangeEvent;
    try {
      event = parseChangeEvent(message.string());
    } catch (error) {
      this.counts.malformed += 1;
      this.options.onMalformed?.(error as Error, message.seq);
      message.term();
      return;
    }
    if (this.seen.has(event.id)) {
      this.counts.duplicates += 1;
      message.ack();
      return;
    }
    for (;;) {
      if (this.stopping) {
        message.nak(); // handed to the next consumer of this durable name at once
        return;
      }
      try {
        await this.options.handle(event, { sequence: message.seq, redelivered: message.redelivered });
        break;
      } catch (error) {
        this.counts.failures += 1;
        this.options.onError?.(error as Error, event);
        message.working(); // still ours: the server must not redeliver it meanwhile
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000));
      }
    }
    this.remember(event.id);
    this.counts.applied += 1;
    this.counts.lastSequence = message.seq;
    message.ack();
  }

  private remember(id: string): void {
    this.seen.set(id, true);
    const limit = this.options.rememberIds ?? 100_000;
    if (this.seen.size > limit) this.seen.delete(this.seen.keys().next().value as string);
  }

  stats(): ConsumerStats {
    return { ...this.counts };
  }

  /** Events the server still holds for this consumer (not yet delivered), from the server's view. */
  async backlog(): Promise<number> {
    const info = await (await this.nc.jetstreamManager()).consumers.info(this.stream, this.options.durable);
    return info.num_pending + info.num_ack_pending;
  }

  /** Resolves once every event stored so far has been applied and acknowledged (for tests and the benchmark). */
  async caughtUp(pollMs = 20): Promise<void> {
    for (;;) {
      await this.nc.flush();
      if ((await this.backlog()) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Stops consuming (the events not yet acknowledged are redelivered to the next consumer of this durable name). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop?.catch(() => undefined);
    await this.nc.flush().catch(() => undefined);
    await this.nc.close();
  }

  /** Deletes the durable consumer (its position is forgotten). */
  static async remove(config: EventsConfig, durable: string): Promise<void> {
    const nc = await connectEvents(config, 'fusion-gateway admin');
    try {
      await (await nc.jetstreamManager()).consumers.delete(config.stream, durable);
    } finally {
      await nc.close();
    }
  }
}

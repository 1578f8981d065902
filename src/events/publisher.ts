import { JSONCodec, type JetStreamClient, type NatsConnection } from 'nats';
import type { ChangeEvent } from './change-event';
import { connectEvents, ensureStream, type EventsConfig } from './connection';
import { subjectOf } from './subjects';

const codec = JSONCodec<ChangeEvent>();

/**
 * Publishes change events to the stream, each acknowledged by the server (stored) before `publish`
 * resolves. The event id is the message id, so a resend inside the duplicate window is stored once.
 */
export class EventPublisher {
  private published = 0;
  private duplicates = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    readonly stream: string,
  ) {}

  static async open(config: EventsConfig): Promise<EventPublisher> {
    const nc = await connectEvents(config, 'fusion-gateway publisher');
    try {
      await ensureStream(await nc.jetstreamManager(), config.stream);
    } catch (error) {
      await nc.close();
      throw error;
    }
    return new EventPublisher(nc, nc.jetstream(), config.stream);
  }

  /** Stores one event; answers its stream sequence. */
  async publish(event: ChangeEvent): Promise<number> {
    event.publishedAt = Date.now();
    const ack = await this.js.publish(subjectOf(this.stream, event), codec.encode(event), { msgID: event.id });
    if (ack.duplicate) this.duplicates += 1;
    else this.published += 1;
    return ack.seq;
  }

  stats(): { published: number; duplicates: number } {
    return { published: this.published, duplicates: this.duplicates };
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

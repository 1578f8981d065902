import { connect, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { checkStreamName, streamSubjects } from './subjects';

/** Where the change events travel: a NATS server with JetStream, and the stream that holds them. */
export interface EventsConfig {
  /** e.g. nats://127.0.0.1:4222 */
  url: string;
  stream: string;
}

/** The events configuration from FUSION_NATS_URL (unset: no events) and FUSION_EVENTS_STREAM. */
export function eventsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EventsConfig | null {
  const url = env.FUSION_NATS_URL?.trim();
  if (!url) return null;
  return { url, stream: checkStreamName(env.FUSION_EVENTS_STREAM?.trim() || 'fusion-events') };
}

/** How long the server remembers a published event id to drop a resend of it. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** Connects; fails at once (no endless reconnect loop at start-up) when the server cannot be reached. */
export async function connectEvents(config: EventsConfig, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: config.url, name, timeout: 3000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  } catch (error) {
    throw new Error(`NATS at ${config.url} cannot be reached: ${(error as Error).message}`);
  }
}

/** Creates the stream when it is missing (file storage, limits retention: events stay for replaying consumers). */
export async function ensureStream(jsm: JetStreamManager, stream: string): Promise<void> {
  checkStreamName(stream);
  try {
    await jsm.streams.info(stream);
    return;
  } catch (error) {
    if (!/stream not found/i.test((error as Error).message)) throw error;
  }
  await jsm.streams.add({
    name: stream,
    subjects: [streamSubjects(stream)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}

/** Deletes a stream and every consumer of it (tests' throwaway streams). */
export async function deleteStream(config: EventsConfig): Promise<void> {
  const nc = await connectEvents(config, 'fusion-gateway admin');
  try {
    await (await nc.jetstreamManager()).streams.delete(config.stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

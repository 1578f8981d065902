import type { ChangeEvent, EntityKind } from './change-event';

/** The default stream: subjects `fusion-events.<kind>.<key>`. Tests use their own stream names. */
export const DEFAULT_STREAM = 'fusion-events';

/** Stream names allowed by JetStream (no dots, spaces, wildcards or path separators). */
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkStreamName(stream: string): string {
  if (!STREAM_NAME.test(stream)) throw new Error(`stream name "${stream}" must be 1-64 letters, digits, "-" or "_"`);
  return stream;
}

/** A subject token cannot hold ".", "*", ">" or whitespace; Olist ids are hex, anything else is escaped. */
function token(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`);
}

/** The subject of one entity's events. */
export function entitySubject(stream: string, kind: EntityKind, key: string): string {
  return `${stream}.${kind}.${token(key)}`;
}

export function subjectOf(stream: string, event: ChangeEvent): string {
  return entitySubject(stream, event.entity.kind, event.entity.key);
}

/** Every subject of the stream (what the stream captures). */
export function streamSubjects(stream: string): string {
  return `${stream}.>`;
}

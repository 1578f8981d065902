/**
 * events: the source systems' change events and their transport, NATS JetStream. Owns
 *  - the event types (change-event.ts): order created, status changed, item added, payment added,
 *    delivered, review added, customer account created; each with an event id, the entity it changes
 *    (kind and key), the time it happened in the shop's history and the time it was published;
 *  - subjects (subjects.ts): `<stream>.<kind>.<key>`, one subject per entity, so a stream (and every
 *    consumer of it) keeps each entity's events in order;
 *  - the publisher (publisher.ts): JetStream publish with the event id as message id (the server drops a
 *    resend inside its duplicate window);
 *  - the durable consumer (consumer.ts): at-least-once, explicit acks, its position kept by JetStream under
 *    a durable name (a restart resumes after the last acknowledged event), idempotent by event id.
 * Sits between shared and sources in the layering: imports only shared (and the nats client); sources,
 * seed, scoring, gateway and cli import it.
 */
export * from './change-event';
export * from './subjects';
export * from './connection';
export * from './publisher';
export * from './consumer';

import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_LEVELS, type LogLevel } from '../config/observability-config';

/**
 * The process's structured logger: pino, one JSON object per line on stdout, `time` in ISO-8601.
 * Every line about a request carries its `requestId` (the x-request-id the router forwards to the
 * subgraphs, so one id follows a request through every process). Level: the config's
 * `observability.logging.level`, else LOG_LEVEL, else `info`.
 */

let current: Logger | null = null;

function create(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** The process's logger (made on first use from LOG_LEVEL). */
export function logger(): Logger {
  const wanted = process.env.LOG_LEVEL?.toLowerCase() ?? '';
  current ??= create((LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : 'info');
  return current;
}

/**
 * Replaces the process's logger: a level, and optionally where lines go (tests pass a stream that keeps
 * them). Without a destination the current one is kept.
 */
export function configureLogger(options: { level?: LogLevel; destination?: DestinationStream }): Logger {
  if (options.destination) current = create(options.level ?? logger().level, options.destination);
  else logger().level = options.level ?? logger().level;
  return logger();
}

export type { Logger };

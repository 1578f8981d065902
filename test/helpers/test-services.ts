/**
 * The services some tests need (PostgreSQL, MariaDB, Redis, NATS JetStream servers; a Chromium binary for the browser tests),
 * named by environment variables.
 * `npm test` on a machine with only Node runs everything else and reports these tests as skipped, with the
 * variable to set in the test's name; `.ci/run` sets every variable, so in CI they run, and fail loudly when
 * a server is down. Nothing here falls back to a default address: an unset variable means "not here".
 */

export type TestService = 'postgresql' | 'mysql' | 'redis' | 'nats' | 'chromium';

export const TEST_SERVICE_ENV: Record<TestService, string> = {
  postgresql: 'FUSION_TEST_PG_URL',
  mysql: 'FUSION_TEST_MYSQL_URL',
  redis: 'FUSION_TEST_REDIS_URL',
  /** A NATS server with JetStream (nats://…); tests create their own streams. */
  nats: 'FUSION_TEST_NATS_URL',
  /** The path of a Chromium executable (Debian's: /usr/bin/chromium). */
  chromium: 'FUSION_TEST_CHROMIUM',
};

/** The services among `services` whose variable is unset. */
export function missingServices(services: readonly TestService[], env: NodeJS.ProcessEnv = process.env): TestService[] {
  return services.filter((service) => !env[TEST_SERVICE_ENV[service]]);
}

/** The configured URL (for chromium: the executable's path) of `service`; throws when its variable is unset (callers sit inside *WithServices blocks). */
export function serviceUrl(service: TestService): string {
  const url = process.env[TEST_SERVICE_ENV[service]];
  if (!url) throw new Error(`${TEST_SERVICE_ENV[service]} is not set: this test needs ${service} (see .ci/run)`);
  return url;
}

function skipNote(missing: readonly TestService[]): string {
  return ` [skipped: set ${missing.map((service) => TEST_SERVICE_ENV[service]).join(', ')}]`;
}

/** `describe` when every service is configured, else `describe.skip` with the variables to set in its name. */
export function describeWithServices(services: readonly TestService[], name: string, body: () => void): void {
  const missing = missingServices(services);
  if (missing.length === 0) describe(name, body);
  else describe.skip(name + skipNote(missing), body);
}

/** `test` when every service is configured, else `test.skip` with the variables to set in its name. */
export function testWithServices(services: readonly TestService[], name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  const missing = missingServices(services);
  if (missing.length === 0) test(name, fn, timeoutMs);
  else test.skip(name + skipNote(missing), fn);
}

import { defaultSecurityConfig } from '../../src/config/security-config';
import { signToken, type TokenRequest } from '../../src/security';
import { configFromEnv } from '../../src/shared';

/** How a test request identifies itself: the headers it sends (none: anonymous). */
export interface Credential {
  headers: Record<string, string>;
}

export const ANONYMOUS_CALLER: Credential = { headers: {} };

/**
 * A Bearer token signed with the secret the test servers verify with: the dev secret generated under the
 * data folder (servers started on configFromEnv().dataDir without a `security` key use the same file).
 */
export async function tokenCredential(request: TokenRequest): Promise<Credential> {
  const token = await signToken(testSecurityConfig(), request);
  return bearer(token);
}

/** What a test server must verify with for these credentials to pass, whatever its data folder (pass it as `config.security`). */
export function testSecurityConfig() {
  return defaultSecurityConfig(configFromEnv().dataDir);
}

export function bearer(token: string): Credential {
  return { headers: { authorization: `Bearer ${token}` } };
}

export function apiKeyCredential(key: string): Credential {
  return { headers: { 'x-api-key': key } };
}

let admin: Promise<Credential> | undefined;

/** What the test helpers send unless told otherwise: an admin token (reads everything, unmasked). */
export function adminCredential(): Promise<Credential> {
  return (admin ??= tokenCredential({ role: 'admin', subject: 'test-suite', ttlSeconds: 6 * 3600 }));
}

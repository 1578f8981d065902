import path from 'node:path';
import { z } from 'zod';
import { secretSchema as secret, type SecretInput } from './secret';

const jwks = z.union([
  z.object({ file: z.string().min(1) }).strict(),
  z.object({ url: z.string().regex(/^https?:\/\//, 'an http:// or https:// URL') }).strict(),
]);

/**
 * The `security` key of the configuration file: how callers authenticate and what an anonymous caller
 * may read. Every part is optional; without it (or without a file) the defaults below apply, with the
 * secrets generated once under `<dataDir>/secrets/` (see src/security/secrets.ts).
 */
/** Default k of Query.orderStats' suppression rule (`security.analytics.minGroupPersons`). */
export const DEFAULT_MIN_GROUP_PERSONS = 5;

export const securityConfigSchema = z
  .object({
    /** `catalog`: anonymous callers read the public catalog (products, sellers, categories); `none`: nothing. */
    anonymous: z.enum(['catalog', 'none']).default('catalog'),
    jwt: z
      .object({
        /** HS256 shared secret (at least 32 characters); default: the generated dev secret. */
        hs256Secret: secret.optional(),
        /** RS256/ES256 verification keys: a JWKS file (relative to dataDir) or URL. */
        jwks: jwks.optional(),
        issuer: z.string().min(1).optional(),
        audience: z.string().min(1).optional(),
        /** The claim holding the role. */
        roleClaim: z.string().min(1).default('role'),
        clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
      })
      .strict()
      .default({ roleClaim: 'role', clockToleranceSeconds: 5 }),
    /** The partner API key store (hashes only), relative to dataDir. */
    apiKeysFile: z.string().min(1).default('secrets/api-keys.json'),
    /** Key of the per-partner pseudonyms of person ids; default: a generated one. */
    pseudonymSecret: secret.optional(),
    /** Query.orderStats: groups with fewer distinct persons than this are suppressed for non-admins. */
    analytics: z
      .object({ minGroupPersons: z.number().int().min(1).max(1000).default(DEFAULT_MIN_GROUP_PERSONS) })
      .strict()
      .optional(),
  })
  .strict();

export type SecurityConfigFile = z.input<typeof securityConfigSchema>;
type ParsedSecurity = z.output<typeof securityConfigSchema>;

/** Security settings with secrets resolved and paths absolute. */
export interface SecurityConfig {
  anonymous: 'catalog' | 'none';
  jwt: {
    /** Absent: the dev secret generated in `secretsDir`. */
    hs256Secret?: string;
    jwks?: { file: string } | { url: string };
    issuer?: string;
    audience?: string;
    roleClaim: string;
    clockToleranceSeconds: number;
  };
  apiKeysFile: string;
  /** Absent: generated in `secretsDir`. */
  pseudonymSecret?: string;
  /** Where generated secrets live. */
  secretsDir: string;
  analytics: { minGroupPersons: number };
}

/** The defaults, for a deployment without a `security` key (and the embedded default without a file). */
export function defaultSecurityConfig(dataDir: string): SecurityConfig {
  return resolveSecurityConfig(undefined, dataDir, () => '', []);
}

/** Resolves the parsed `security` key: `value` reads `{ env }` secrets, problems are collected by the caller. */
export function resolveSecurityConfig(
  parsed: ParsedSecurity | undefined,
  dataDir: string,
  value: (key: string, input: SecretInput) => string,
  problems: string[],
): SecurityConfig {
  const inData = (file: string) => path.resolve(dataDir, file);
  const jwt = parsed?.jwt ?? { roleClaim: 'role', clockToleranceSeconds: 5 };
  const hs256Secret = jwt.hs256Secret !== undefined ? value('security.jwt.hs256Secret', jwt.hs256Secret) : undefined;
  if (hs256Secret !== undefined && hs256Secret !== '' && hs256Secret.length < 32) {
    problems.push('  security.jwt.hs256Secret: must be at least 32 characters');
  }
  const pseudonymSecret = parsed?.pseudonymSecret !== undefined ? value('security.pseudonymSecret', parsed.pseudonymSecret) : undefined;
  return {
    anonymous: parsed?.anonymous ?? 'catalog',
    jwt: {
      ...(hs256Secret ? { hs256Secret } : {}),
      ...(jwt.jwks ? { jwks: 'file' in jwt.jwks ? { file: inData(jwt.jwks.file) } : { url: jwt.jwks.url } } : {}),
      ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience ? { audience: jwt.audience } : {}),
      roleClaim: jwt.roleClaim,
      clockToleranceSeconds: jwt.clockToleranceSeconds,
    },
    apiKeysFile: inData(parsed?.apiKeysFile ?? 'secrets/api-keys.json'),
    ...(pseudonymSecret ? { pseudonymSecret } : {}),
    secretsDir: inData('secrets'),
    analytics: { minGroupPersons: parsed?.analytics?.minGroupPersons ?? DEFAULT_MIN_GROUP_PERSONS },
  };
}

import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { SecurityConfig } from '../config/security-config';
import { isOlistId } from '../shared';
import { ApiKeyStore } from './api-keys';
import { pseudonymKeyOf } from './masking';
import { CATALOG_READ_SCOPE } from './policy';
import { ANONYMOUS, ROLES, type Principal, type Role } from './principal';
import { generatedSecret } from './secrets';

/** Why a presented credential was refused (the request gets 401 UNAUTHENTICATED). */
export class AuthenticationError extends Error {}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];

/** Turns the request's credential (Bearer JWT or partner API key) into a Principal; none → ANONYMOUS. */
export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
}

/** The HS256 key in force: the configured secret, else the dev secret generated under the data folder. */
export function hs256Key(config: SecurityConfig): Uint8Array {
  return new TextEncoder().encode(config.jwt.hs256Secret ?? generatedSecret(config.secretsDir, 'jwt-dev'));
}

export function createAuthenticator(config: SecurityConfig): Authenticator {
  const secret = hs256Key(config);
  const jwks = jwksOf(config);
  const keys = new ApiKeyStore(config.apiKeysFile);
  const pseudonymSecret = config.pseudonymSecret ?? generatedSecret(config.secretsDir, 'pseudonym');
  const anonymous: Principal = config.anonymous === 'catalog' ? Object.freeze({ ...ANONYMOUS, scopes: new Set([CATALOG_READ_SCOPE]) }) : ANONYMOUS;
  const withPseudonyms = (principal: Principal): Principal =>
    principal.sellerId ? { ...principal, pseudonymKey: pseudonymKeyOf(pseudonymSecret, principal.sellerId) } : principal;
  const options = {
    ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
    ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
    clockTolerance: config.jwt.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };

  const verified = new VerifiedTokens();

  async function verifyJwt(token: string): Promise<JWTPayload> {
    let algorithm: string | undefined;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('malformed token');
    }
    try {
      if (algorithm === 'HS256') return (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
      if (algorithm && ASYMMETRIC_ALGORITHMS.includes(algorithm) && jwks) {
        return (await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthenticationError(`token claim "${error.claim}" rejected`);
      throw new AuthenticationError('token signature or format invalid');
    }
    throw new AuthenticationError(`token algorithm "${String(algorithm)}" not accepted`);
  }

  return {
    async authenticate(headers) {
      const authorization = headers.authorization;
      const apiKey = headers['x-api-key'];
      if (authorization !== undefined && apiKey !== undefined) throw new AuthenticationError('present either a bearer token or an API key, not both');
      if (typeof apiKey === 'string') {
        const stored = keys.verify(apiKey.trim());
        if (!stored) throw new AuthenticationError('unknown or revoked API key');
        return withPseudonyms({ role: 'partner', subject: `key:${stored.id}`, sellerId: stored.sellerId, scopes: new Set(), via: 'api-key' });
      }
      if (apiKey !== undefined) throw new AuthenticationError('malformed API key');
      if (authorization === undefined) return anonymous;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw new AuthenticationError('Authorization must be "Bearer <token>"');
      const token = match[1];
      const known = verified.get(token);
      if (known) return known;
      const claims = await verifyJwt(token);
      const principal = withPseudonyms(principalOfClaims(claims, config.jwt.roleClaim));
      verified.set(token, principal, claims.exp!);
      return principal;
    },
  };
}

/**
 * Principals of tokens verified in the last minute, so a client that sends the same token with every
 * request pays for one signature check a minute, not one a request (~5 % of the order-detail CPU profile).
 * An entry lives until the token's `exp` or for TTL_MS, whichever is first, so a key removed from a JWKS
 * stops being accepted within a minute; refused tokens are never kept. Bounded: the oldest goes first.
 */
class VerifiedTokens {
  static readonly TTL_MS = 60_000;
  static readonly CAPACITY = 10_000;
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (Date.now() >= entry.until) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expSeconds: number): void {
    if (this.entries.size >= VerifiedTokens.CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, until: Math.min(expSeconds * 1000, Date.now() + VerifiedTokens.TTL_MS) });
  }
}

function jwksOf(config: SecurityConfig): JWTVerifyGetKey | undefined {
  const source = config.jwt.jwks;
  if (!source) return undefined;
  if ('url' in source) return createRemoteJWKSet(new URL(source.url));
  try {
    return createLocalJWKSet(JSON.parse(fs.readFileSync(source.file, 'utf8')));
  } catch (error) {
    throw new Error(`security.jwt.jwks.file ${source.file}: not a readable JWKS (${(error as Error).message})`);
  }
}

function principalOfClaims(claims: JWTPayload, roleClaim: string): Principal {
  const role = claims[roleClaim];
  if (typeof role !== 'string' || role === 'anonymous' || !(ROLES as readonly string[]).includes(role)) {
    throw new AuthenticationError(`token claim "${roleClaim}" must name a role (${ROLES.filter((r) => r !== 'anonymous').join(', ')})`);
  }
  const subject = claims.sub!;
  const principal: Principal = { role: role as Role, subject, scopes: scopesOf(claims), via: 'jwt' };
  if (role === 'customer' && !isOlistId(subject)) throw new AuthenticationError('a customer token\'s "sub" must be a person id (32 hexadecimal digits)');
  if (role === 'partner') {
    const sellerId = claims.seller_id;
    if (typeof sellerId !== 'string' || !isOlistId(sellerId))
      throw new AuthenticationError('a partner token needs a "seller_id" claim (32 hexadecimal digits)');
    principal.sellerId = sellerId;
  }
  return principal;
}

function scopesOf(claims: JWTPayload): Set<string> {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return new Set(raw.split(/\s+/).filter(Boolean));
  if (Array.isArray(raw)) return new Set(raw.filter((scope): scope is string => typeof scope === 'string'));
  return new Set();
}

export interface TokenRequest {
  role: Exclude<Role, 'anonymous'>;
  subject: string;
  sellerId?: string;
  scopes?: string[];
  /** Lifetime in seconds. @default 3600 */
  ttlSeconds?: number;
}

/** Signs an HS256 token with the configured (or dev) secret: the `token` CLI command and the tests' credentials. */
export async function signToken(config: SecurityConfig, request: TokenRequest): Promise<string> {
  const claims: JWTPayload = { [config.jwt.roleClaim]: request.role };
  if (request.sellerId) claims.seller_id = request.sellerId;
  if (request.scopes && request.scopes.length > 0) claims.scope = request.scopes.join(' ');
  let token = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (request.ttlSeconds ?? 3600));
  if (config.jwt.issuer) token = token.setIssuer(config.jwt.issuer);
  if (config.jwt.audience) token = token.setAudience(config.jwt.audience);
  return token.sign(hs256Key(config));
}

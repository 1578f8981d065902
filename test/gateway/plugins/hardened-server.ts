import { embeddedSourcesConfig } from '../../../src/config/fusion-config';
import { resolveLimitsConfig, type LimitsConfigFile } from '../../../src/config/limits-config';
import { defaultSecurityConfig } from '../../../src/config/security-config';
import { buildEmbeddedSupergraphSchema, gatewayPlugins, type RunningServer, type ServerRole } from '../../../src/gateway';
import { startSchemaServer } from '../../../src/gateway/serve-schema';
import { signToken, type Role } from '../../../src/security';
import { configFromEnv } from '../../../src/shared';
import type { Sources } from '../../../src/sources';
import { openTestSources } from '../../helpers/backends';

export interface HardenedServer extends RunningServer {
  sources: Sources;
}

/** The embedded graph with the plugins `gatewayPlugins` assembles for these limits (authentication included). */
export async function startHardenedServer(limits: LimitsConfigFile, role: ServerRole = 'embedded', sources?: Sources): Promise<HardenedServer> {
  const { limits: resolved, problems } = resolveLimitsConfig(limits, { env: {} });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const dataDir = configFromEnv().dataDir;
  const plugins = await gatewayPlugins({ ...embeddedSourcesConfig(dataDir), limits: resolved }, role);
  const opened = sources ?? (await openTestSources());
  const server = await startSchemaServer({
    schema: await buildEmbeddedSupergraphSchema(),
    sources: opened,
    ownsSources: !sources,
    port: 0,
    host: '127.0.0.1',
    details: { mode: 'embedded' },
    plugins,
  });
  return { ...server, sources: opened };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs a GraphQL request body (any shape) as JSON, as `role` when given. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** The seller the partner credential is bound to (a seller of the dataset). */
export const PARTNER_SELLER = '3442f8959a84dea7ee197c632cb2df15';

/** Headers of a real credential: an HS256 token signed with the default (dev) secret, as `npm run token` would mint. */
export async function as(role: Exclude<Role, 'anonymous'>, subject = `${role}-1`): Promise<Record<string, string>> {
  const token = await signToken(defaultSecurityConfig(configFromEnv().dataDir), {
    role,
    subject: role === 'customer' ? '0000366f3b9a7992bf8c76cfdf3221e2' : subject,
    ...(role === 'partner' ? { sellerId: PARTNER_SELLER } : {}),
  });
  return { authorization: `Bearer ${token}` };
}

export function codes(reply: Reply): string[] {
  return (reply.body.errors ?? []).map((error) => String(error.extensions?.code ?? 'NONE'));
}

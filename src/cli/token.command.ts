import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { defaultSecurityConfig } from '../config/security-config';
import { ROLES, signToken, type Role } from '../security';

const SIGNABLE = ROLES.filter((role) => role !== 'anonymous');
const USAGE = `Usage: fusion-gateway token --role ${SIGNABLE.join('|')} [--sub SUBJECT] [--seller SELLER_ID] [--scope "pii:read ..."] [--ttl SECONDS] [--data DIR]`;

/**
 * `token --role <role>`: prints an HS256 bearer token signed with the configured secret
 * (`security.jwt.hs256Secret`), or the dev secret generated under the data folder — for development
 * and operations; production clients get their tokens from the identity provider.
 */
export async function tokenCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      seller: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      data: { type: 'string' },
    },
  });
  const role = values.role as Exclude<Role, 'anonymous'> | undefined;
  const ttlSeconds = Number(values.ttl);
  if (!role || !SIGNABLE.includes(role) || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    console.error(USAGE);
    return 2;
  }
  if ((role === 'customer' && !values.sub) || (role === 'partner' && !values.seller)) {
    console.error(role === 'customer' ? 'A customer token needs --sub <person id>' : 'A partner token needs --seller <seller id>');
    return 2;
  }
  const config = sourcesConfigFromEnv(process.env, values.data);
  const token = await signToken(config.security ?? defaultSecurityConfig(config.dataDir), {
    role,
    subject: values.sub ?? `${role}-cli`,
    ...(values.seller ? { sellerId: values.seller } : {}),
    scopes: values.scope ? values.scope.split(/\s+/).filter(Boolean) : [],
    ttlSeconds,
  });
  console.log(token);
  return 0;
}

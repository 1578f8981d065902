import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { securityOf } from '../config/settings';
import { ROLES, signToken, type Role } from '../security';
import { UsageError, type CommandHelp } from './command-help';

export const TOKEN_HELP: CommandHelp = {
  summary: 'prints a bearer token signed with the configured (or generated dev) secret',
  usage: `Usage: fusion-gateway token --role admin|bi|customer|partner|frontend-service [--sub SUBJECT] [--seller SELLER_ID]
                            [--scope "pii:read ..."] [--ttl SECONDS] [--data DIR]

  --role ROLE     the token's role
  --sub SUBJECT   the subject; a customer token needs the person id (32 hex digits)
  --seller ID     a partner token's seller
  --scope LIST    space-separated scopes (e.g. "pii:read")
  --ttl SECONDS   lifetime (default 3600)
  --data DIR      where the dev secret lives (default: FUSION_DATA_DIR or ./data)
Send it as \`Authorization: Bearer <token>\`. For development and operations: production clients get
their tokens from the identity provider.`,
};

const SIGNABLE = ROLES.filter((role) => role !== 'anonymous');

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
  if (!role || !SIGNABLE.includes(role)) throw new UsageError(`--role must be one of ${SIGNABLE.join(', ')}`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new UsageError(`--ttl must be a positive whole number of seconds, got "${values.ttl}"`);
  if (role === 'customer' && !values.sub) throw new UsageError('A customer token needs --sub <person id>');
  if (role === 'partner' && !values.seller) throw new UsageError('A partner token needs --seller <seller id>');
  const config = sourcesConfigFromEnv(process.env, values.data);
  const token = await signToken(securityOf(config), {
    role,
    subject: values.sub ?? `${role}-cli`,
    ...(values.seller ? { sellerId: values.seller } : {}),
    scopes: values.scope ? values.scope.split(/\s+/).filter(Boolean) : [],
    ttlSeconds,
  });
  console.log(token);
  return 0;
}

import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { securityOf } from '../config/settings';
import { ApiKeyStore } from '../security';
import { UsageError, type CommandHelp } from './command-help';

export const KEYS_HELP: CommandHelp = {
  summary: 'issues, revokes and lists partner API keys',
  usage: `Usage: fusion-gateway keys issue --seller SELLER_ID [--name NAME] [--data DIR]
       fusion-gateway keys revoke KEY_ID [--data DIR]
       fusion-gateway keys list [--data DIR]

A key is bound to one seller and printed once (only its hash is stored in security.apiKeysFile,
default <data>/secrets/api-keys.json); send it as the x-api-key header.`,
};

/**
 * `keys issue --seller <id> [--name <label>]`: a partner API key bound to a seller, printed once (only its
 * hash is stored). `keys revoke <keyId>`: refused from the next request on. `keys list`: ids, sellers, states.
 * The store is `security.apiKeysFile` (default `<dataDir>/secrets/api-keys.json`).
 */
export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { seller: { type: 'string' }, name: { type: 'string' }, data: { type: 'string' } },
  });
  const config = sourcesConfigFromEnv(process.env, values.data);
  const store = new ApiKeyStore(securityOf(config).apiKeysFile);
  switch (sub) {
    case 'issue': {
      if (!values.seller) break;
      const { key, record } = store.issue(values.seller, values.name ?? `seller ${values.seller}`);
      console.error(`Issued key ${record.id} for seller ${record.sellerId} (${store.file}). It is shown once; send it as the x-api-key header:`);
      console.log(key);
      return 0;
    }
    case 'revoke': {
      if (positionals.length !== 1) break;
      if (!store.revoke(positionals[0])) {
        console.error(`No key "${positionals[0]}" in ${store.file}`);
        return 1;
      }
      console.log(`Revoked key ${positionals[0]}`);
      return 0;
    }
    case 'list':
      for (const key of store.list()) {
        console.log([key.id, key.sellerId, key.revokedAt ? `revoked ${key.revokedAt}` : 'active', key.createdAt, key.name].join('\t'));
      }
      return 0;
  }
  throw new UsageError(sub === undefined ? 'keys needs a subcommand' : `Bad arguments for "keys ${sub}"`);
}

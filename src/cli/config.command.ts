import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { configInForce, redactSecrets } from '../config/settings';
import { scoringConfigFromEnv } from '../scoring/config';
import { configFromEnv } from '../shared';
import { UsageError, type CommandHelp } from './command-help';

export const CONFIG_HELP: CommandHelp = {
  summary: 'prints the configuration in force (every default filled in, secrets redacted)',
  usage: `Usage: fusion-gateway config print [--data DIR]

  --data DIR  the embedded stores (default: FUSION_DATA_DIR or ./data)
Reads FUSION_CONFIG (a JSON file; without it, the embedded default) and the environment exactly as serve
does, and prints the result as JSON: the back-ends, resilience, limits, security, observability and scoring
settings, and where the dataset is read from. Secrets and URL passwords are shown as ***. A configuration
that does not validate is reported, key by key, with exit code 1.`,
};

/** `config print [--data DIR]`: the configuration serve would run with, as JSON, secrets redacted. */
export async function configCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'print') throw new UsageError(sub === undefined ? 'Missing sub-command' : `Unknown sub-command "${sub}"`);
  const { values } = parseArgs({ args: rest, options: { data: { type: 'string' } } });
  let config;
  try {
    config = sourcesConfigFromEnv(process.env, values.data);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const { datasetDir, port } = configFromEnv();
  const shown = { port, datasetDir, ...configInForce(config), scoring: scoringConfigFromEnv() };
  console.log(JSON.stringify(redactSecrets(shown), null, 2));
  return 0;
}

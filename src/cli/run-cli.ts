import { cacheCommand, CACHE_HELP } from './cache.command';
import { isUsageError, type CommandHelp } from './command-help';
import { composeCommand, COMPOSE_HELP } from './compose.command';
import { configCommand, CONFIG_HELP } from './config.command';
import { featuresCommand, FEATURES_HELP } from './features.command';
import { keysCommand, KEYS_HELP } from './keys.command';
import { replayCommand, REPLAY_HELP } from './replay.command';
import { reportCommand, REPORT_HELP } from './report.command';
import { seedCommand, SEED_HELP } from './seed.command';
import { serveCommand, SERVE_HELP } from './serve.command';
import { serveReviewsCommand, SERVE_REVIEWS_HELP } from './serve-reviews.command';
import { tokenCommand, TOKEN_HELP } from './token.command';

interface Command {
  run: (argv: string[]) => Promise<number>;
  help: CommandHelp;
}

const COMMANDS: Record<string, Command> = {
  serve: { run: serveCommand, help: SERVE_HELP },
  seed: { run: seedCommand, help: SEED_HELP },
  replay: { run: replayCommand, help: REPLAY_HELP },
  compose: { run: composeCommand, help: COMPOSE_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  token: { run: tokenCommand, help: TOKEN_HELP },
  keys: { run: keysCommand, help: KEYS_HELP },
  cache: { run: cacheCommand, help: CACHE_HELP },
  features: { run: featuresCommand, help: FEATURES_HELP },
  config: { run: configCommand, help: CONFIG_HELP },
  'serve-reviews': { run: serveReviewsCommand, help: SERVE_REVIEWS_HELP },
};

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { help }]) => `  ${name.padEnd(width)}  ${help.summary}`);
  return `Usage: fusion-gateway <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n'fusion-gateway <command> --help' describes a command's options.`;
}

/**
 * Runs one command line and answers the exit code: 0 done, 1 failed, 2 a bad command line (the message and the
 * command's usage on stderr, never a stack trace). `--help` anywhere prints the usage on stdout.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const [name, ...argv] = args;
  if (name === undefined || HELP_FLAGS.has(name)) {
    (name === undefined ? console.error : console.log)(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(command.help.usage);
    return 0;
  }
  try {
    return await command.run(argv);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    console.error(`${error.message}\n\n${command.help.usage}`);
    return 2;
  }
}

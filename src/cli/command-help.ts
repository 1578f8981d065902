/** What `fusion-gateway <command> --help` prints, and the error a command throws for a bad argument. */
export interface CommandHelp {
  /** One line for the command list. */
  summary: string;
  /** The synopsis and options, printed by `--help` and after a usage error. */
  usage: string;
}

/** A bad command line: the CLI prints the message and the command's usage, then exits with 2 (no stack trace). */
export class UsageError extends Error {}

/** Errors node:util parseArgs throws for unknown options, missing values and stray positionals. */
export function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Runs a check of one option's value; its failure is a usage mistake (exit code 2, the usage printed). */
export function checkOption<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

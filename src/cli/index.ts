#!/usr/bin/env node
/**
 * cli: one file per command. Parses arguments and environment, then calls seed, gateway or fusion.
 * Nothing imports this folder.
 */
import 'reflect-metadata';
import { cacheCommand } from './cache.command';
import { composeCommand } from './compose.command';
import { featuresCommand } from './features.command';
import { keysCommand } from './keys.command';
import { reportCommand } from './report.command';
import { seedCommand } from './seed.command';
import { serveCommand } from './serve.command';
import { serveReviewsCommand } from './serve-reviews.command';
import { tokenCommand } from './token.command';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  seed: seedCommand,
  serve: serveCommand,
  compose: composeCommand,
  report: reportCommand,
  features: featuresCommand,
  'serve-reviews': serveReviewsCommand,
  cache: cacheCommand,
  keys: keysCommand,
  token: tokenCommand,
};

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`Usage: fusion-gateway <${Object.keys(COMMANDS).join('|')}> [options]`);
    return 2;
  }
  return command(argv);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exitCode = 1;
  },
);

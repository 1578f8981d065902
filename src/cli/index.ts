#!/usr/bin/env node
/**
 * cli: one file per command. Parses arguments and environment, then calls seed, gateway or fusion.
 * Nothing imports this folder.
 */
import 'reflect-metadata';
import { runCli } from './run-cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A failure, not a usage mistake: the message alone; the stack only when asked for (FUSION_DEBUG=1).
    const showStack = process.env.FUSION_DEBUG === '1' && error instanceof Error;
    console.error(showStack ? (error as Error).stack : `fusion-gateway: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

/**
 * The command line as a user meets it: `--help` for the CLI and for every command answers its usage with exit
 * code 0; an unknown command, an unknown option or a bad value answers the message and the usage with exit
 * code 2, never a stack trace.
 */
import { runCli } from '../../src/cli/run-cli';

const COMMANDS = ['serve', 'seed', 'compose', 'report', 'token', 'keys', 'cache', 'features', 'config', 'serve-reviews', 'replay'];

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
});
afterEach(() => jest.restoreAllMocks());

test('--help lists every command with a one-line summary', async () => {
  expect(await runCli(['--help'])).toBe(0);
  const text = out.join('\n');
  for (const name of COMMANDS) expect(text).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
});

test.each(COMMANDS)('%s --help prints its usage and exits 0', async (name) => {
  expect(await runCli([name, '--help'])).toBe(0);
  expect(out.join('\n')).toMatch(new RegExp(`^Usage: fusion-gateway ${name}\\b`));
  expect(err).toEqual([]);
});

test.each([
  [['frobnicate'], /Unknown command "frobnicate"/],
  [['token', '--colour', 'red'], /Unknown option '--colour'/],
  [['token', '--role', 'root'], /--role must be one of/],
  [['token', '--role', 'admin', '--ttl', 'soon'], /--ttl must be a positive whole number/],
  [['serve', '--port', 'eighty'], /Invalid --port "eighty"/],
  [['serve', '--subgraph', 'billing'], /Unknown subgraph "billing"/],
  [['keys'], /keys needs a subcommand/],
  [['cache', 'invalidate', '--id', 'x'], /--id needs --entity/],
  [['compose', '--url', 'nowhere'], /--url must be <subgraph>=<url>/],
  [['config'], /Missing sub-command/],
  [['config', 'show'], /Unknown sub-command "show"/],
  [['replay'], /--from DATE is required/],
  [['replay', '--from', 'June'], /--from must be a date/],
  [['replay', '--from', '2018-06-01', '--speed', 'fast'], /--speed must look like 3600x/],
  [['replay', '--from', '2018-06-01', '--rate', 'lots'], /--rate must look like 500\/s/],
  [['replay', '--from', '2018-06-01', '--speed', '10x', '--rate', '5'], /--speed and --rate exclude each other/],
  [['seed', '--until', 'tomorrow'], /--until must be a date/],
])('%j is a usage error: message and usage, exit 2, no stack trace', async (args, message) => {
  expect(await runCli(args)).toBe(2);
  const text = err.join('\n');
  expect(text).toMatch(message);
  expect(text).toMatch(/Usage: fusion-gateway/);
  expect(text).not.toMatch(/^\s+at /m);
});

test('no command at all prints the overview and exits 2', async () => {
  expect(await runCli([])).toBe(2);
  expect(err.join('\n')).toMatch(/^Usage: fusion-gateway <command>/);
});

/**
 * What every benchmark shares: the built CLI's child processes (started, awaited ready, always
 * stopped), free ports, the separate load-generator process, GraphQL set-up queries, and the
 * machine and commit facts each result file records.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultSecurityConfig } from '../src/config/security-config';
import { signToken } from '../src/security';
import { configFromEnv } from '../src/shared';
import type { LoadResult, LoadSpec } from './load';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');
const LOAD = path.join(__dirname, 'load.js');
const READY_TIMEOUT_MS = 120_000;

export type Variables = Record<string, unknown>;

/**
 * CPU pinning, so every deployment gets the same CPU budget (a five-process federation would
 * otherwise use more cores than a one-process gateway) and the load generator never competes
 * with the servers: servers on BENCH_SERVER_CPUS (default "0"), load on BENCH_LOAD_CPUS (default
 * "1"). Off when taskset is missing, on a one-core machine, or with BENCH_PIN=0.
 */
export const PINNING = (() => {
  const enabled = process.env.BENCH_PIN !== '0' && os.cpus().length >= 2 && fs.existsSync('/usr/bin/taskset');
  return enabled ? { servers: process.env.BENCH_SERVER_CPUS ?? '0', load: process.env.BENCH_LOAD_CPUS ?? '1' } : null;
})();

function spawnNode(args: string[], cpus: string | undefined, options: Parameters<typeof spawn>[2]): ChildProcess {
  return cpus === undefined ? spawn(process.execPath, args, options) : spawn('/usr/bin/taskset', ['-c', cpus, process.execPath, ...args], options);
}

const children = new Set<ChildProcess>();

/** A server of the built CLI (`serve …`) as a child process, pinned to the servers' CPUs, its output in `<logDir>/<name>.log`. */
export function startChild(name: string, args: string[], logDir: string): ChildProcess {
  return startNodeServer(name, [CLI, ...args], logDir);
}

/** Any Node server script (a peer under comparison) like startChild: pinned, logged, stopped with the rest. */
export function startNodeServer(name: string, nodeArgs: string[], logDir: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  // Servers under test skip the scoring feature store's background build (it would compete for the CPU).
  const env = { FUSION_SCORING_PREWARM: '0', ...process.env, ...extraEnv };
  const child = spawnNode(nodeArgs, PINNING?.servers, { cwd: ROOT, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  children.add(child);
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) console.error(`  ${name} exited early (code ${code}, signal ${signal}); see ${logDir}/${name}.log`);
  });
  return child;
}

let stopping = false;

export async function stopChildren(): Promise<void> {
  stopping = true;
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `ready` (by default: GET /readyz answers 200) or the child exits. */
export async function waitReady(
  name: string,
  port: number,
  child: ChildProcess,
  ready: (base: string) => Promise<boolean> = async (base) => (await fetch(`${base}/readyz`)).status === 200,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready`);
    try {
      if (await ready(`http://127.0.0.1:${port}`)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

let adminHeaders: Promise<Record<string, string>> | undefined;

/**
 * The benchmarks read the whole graph as `admin`: a token signed with the dev secret the servers
 * (started on ./data or FUSION_DATA_DIR without a `security` key) verify with.
 */
export function benchAuthHeaders(): Promise<Record<string, string>> {
  return (adminHeaders ??= signToken(defaultSecurityConfig(configFromEnv().dataDir), { role: 'admin', subject: 'bench', ttlSeconds: 24 * 3600 }).then(
    (token) => ({ authorization: `Bearer ${token}` }),
  ));
}

export async function runLoadProcess(spec: LoadSpec, workDir: string, label: string): Promise<LoadResult> {
  const specFile = path.join(workDir, `load-${label}.json`);
  fs.writeFileSync(specFile, JSON.stringify({ ...spec, headers: { ...(await benchAuthHeaders()), ...spec.headers } } satisfies LoadSpec));
  return new Promise((resolve, reject) => {
    const child = spawnNode([LOAD, specFile], PINNING?.load, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`load generator for ${label} exited with code ${code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
      } catch (error) {
        reject(new Error(`load generator for ${label} printed no result: ${String(error)}`));
      }
    });
  });
}

export async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await benchAuthHeaders()) }, body });
  return { status: response.status, text: await response.text() };
}

export async function queryData<T>(url: string, query: string, variables: Variables): Promise<T> {
  const { status, text } = await post(url, JSON.stringify({ query, variables }));
  const result = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (status !== 200 || result.errors || !result.data) throw new Error(`set-up query failed (${status}): ${text.slice(0, 500)}`);
  return result.data;
}

export function gitCommit(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    cpuPinning: PINNING,
  };
}

/** Stops every child on Ctrl-C or SIGTERM, and kills any left on an uncaught crash. Call once per bench. */
export function stopChildrenOnExit(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping children`);
    void stopChildren().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** Runs a bench's main with its children stopped on exit or error; exit code 1 on error (stack printed). */
export function runBenchMain(main: () => Promise<unknown>): void {
  stopChildrenOnExit();
  main()
    .then(
      () => 0,
      (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        return 1;
      },
    )
    .then(async (code) => {
      await stopChildren();
      process.exitCode = code;
    });
}

/**
 * Helpers of the fault-injection tests: polling with a deadline (never a fixed sleep), a TCP proxy that
 * can cut and restore a real network path, and the recovery times the tests measured (bench/tmp/ by default,
 * outside the tracked files; FUSION_RELIABILITY_RESULTS=bench/results refreshes the figures the README quotes).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Polls `check` every `intervalMs` until it returns true; resolves with the elapsed milliseconds, rejects at the deadline. */
export async function waitUntil(check: () => Promise<boolean>, options: { timeoutMs: number; intervalMs?: number; what: string }): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > options.timeoutMs) throw new Error(`${options.what}: not reached within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

const RESULTS_DIR = path.resolve(__dirname, '../..', process.env.FUSION_RELIABILITY_RESULTS ?? 'bench/tmp');

/** Records one measured recovery in <results>/reliability-<scenario>.json (one file each: test files run in parallel). */
export function recordRecovery(scenario: string, figures: Record<string, number | string>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `reliability-${scenario}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ scenario, ...figures, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  console.log(`recovery ${scenario}: ${JSON.stringify(figures)}`);
}

export interface TcpProxy {
  port: number;
  /** Closes the listening socket and destroys every open connection: the back-end becomes unreachable. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of `target` (host:port), on a free port. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
  return { port, cut: stop, restore: () => listen(port), close: stop };
}

/** The errors of a GraphQL response, reduced to what the tests compare. */
export function codedErrors(body: { errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }) {
  return (body.errors ?? []).map((error) => ({ code: error.extensions?.code, source: error.extensions?.source, path: error.path?.join('.') }));
}

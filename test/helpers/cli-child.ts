import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface CliChild {
  process: ChildProcess;
  /** The first capture of `ready` in the child's output (e.g. the URL it listens on). */
  ready: string;
  /** Everything the child printed so far. */
  output(): string;
  /** Sends `signal` and waits for the exit; answers the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the CLI from its TypeScript sources in a real child process (compiled on the fly by
 * swc-register.js, so no build is needed) and waits until its output matches `ready`.
 */
export function startCliChild(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<CliChild> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'swc-register.js'), path.join(ROOT, 'src', 'cli', 'index.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) resolve({ process: child, ready: match[1] ?? match[0], output: () => output, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${output}`)));
  });
}

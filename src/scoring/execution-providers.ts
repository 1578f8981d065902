/**
 * Execution-provider selection. onnxruntime-node throws (no silent fallback) when a requested
 * provider cannot load — e.g. 'cuda' without libonnxruntime_providers_cuda.so or the CUDA
 * libraries. We try the configured list in order: on a provider failure we log once per process,
 * remember the provider as unusable, and retry with the rest; the provider that created the session
 * is what Query.models and /readyz report. A provider whose shared library is not in onnxruntime-node's binary
 * folder is skipped before onnxruntime is asked (it would print a native error line on every start).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

export interface CreatedSession {
  session: ort.InferenceSession;
  /** The provider actually in use: the first of the list that created the session. */
  provider: string;
}

/** Messages onnxruntime uses when a provider (not the model) is the problem. */
const PROVIDER_FAILURE =
  /AppendExecutionProvider|providers?_|shared library|execution provider|not (?:supported|available|registered)|cuda|cudnn|cublas|tensorrt|dml|coreml/i;

const unusable = new Map<string, string>();
const logged = new Set<string>();

export type ProviderLog = (message: string) => void;

/** The shared library a provider needs beside onnxruntime-node's own (CPU ships in the package). */
const PROVIDER_LIBRARY: Record<string, string> = {
  cuda: 'libonnxruntime_providers_cuda.so',
  tensorrt: 'libonnxruntime_providers_tensorrt.so',
};

/** Why `provider` cannot load on this install, when its library is absent; null when it may be tried. */
export function missingProviderLibrary(provider: string, binDir = onnxruntimeBinDir()): string | null {
  const library = PROVIDER_LIBRARY[provider];
  if (!library || process.platform !== 'linux' || !binDir) return null;
  return fs.existsSync(path.join(binDir, library)) ? null : `${library} is not installed in ${binDir} (docs/gpu.md)`;
}

function onnxruntimeBinDir(): string | null {
  try {
    const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/** Providers found unusable in this process (provider → first error line); for diagnostics and tests. */
export function unusableProviders(): ReadonlyMap<string, string> {
  return unusable;
}

export async function createSessionWithFallback(
  model: string | Uint8Array,
  providers: readonly string[],
  options: ort.InferenceSession.SessionOptions = {},
  log: ProviderLog = (message) => console.warn(message),
): Promise<CreatedSession> {
  for (const provider of providers) {
    const missing = unusable.has(provider) ? null : missingProviderLibrary(provider);
    if (missing) markUnusable(provider, missing, providers[providers.indexOf(provider) + 1], log);
  }
  const candidates = providers.filter((p) => !unusable.has(p) || p === 'cpu');
  if (candidates.length === 0) {
    throw new Error(`no usable execution provider among ${providers.join(', ')} (${providers.map((p) => `${p}: ${unusable.get(p)}`).join('; ')})`);
  }
  let lastError: unknown = null;
  for (let i = 0; i < candidates.length; i++) {
    const provider = candidates[i];
    const list = candidates.slice(i);
    try {
      // A provider that cannot load also makes onnxruntime print one native error line; it is tried once per process.
      const session = await (typeof model === 'string'
        ? ort.InferenceSession.create(model, { ...options, executionProviders: list })
        : ort.InferenceSession.create(model, { ...options, executionProviders: list }));
      return { session, provider };
    } catch (error) {
      lastError = error;
      const message = firstLine(error);
      const isProvider = provider !== 'cpu' && PROVIDER_FAILURE.test(message) && !/protobuf|model/i.test(message);
      if (!isProvider) throw error;
      markUnusable(provider, message, candidates[i + 1], log);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Remembers `provider` as unusable in this process and logs it once. */
function markUnusable(provider: string, reason: string, next: string | undefined, log: ProviderLog): void {
  unusable.set(provider, reason);
  const key = `${provider}:${reason}`;
  if (logged.has(key)) return;
  logged.add(key);
  log(`scoring: execution provider "${provider}" cannot load (${reason}); ${next ? `falling back to "${next}"` : 'no provider left'}`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}

/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and sums self time by function and by package:
 * the flame summary of docs/performance.md. A node's self time is the sum of the sampling intervals whose
 * sample landed on it; (idle) is left out of the shares (the process was waiting, not working).
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, %. */
  pct: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  byFunction: SelfTime[];
  byPackage: SelfTime[];
}

/** Where a script lies: an npm package (node_modules/<name>), a folder of ours (src/<folder>), Node's own code, or V8's pseudo-frames. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node (core)';
  const ours = /\/dist\/(src|bench)\/([^/]+)/.exec(url);
  if (ours) return `fusion ${ours[1]}/${ours[2]}`;
  return url;
}

const shortUrl = (url: string) => {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url.replace(/^file:\/\//, '');
};

const round = (value: number) => Math.round(value * 10) / 10;

/** `window`: only the samples between these times (ms since the profile started), e.g. the load run without start-up. */
export function summariseProfile(file: string, top = 25, window?: { fromMs: number; toMs: number }): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let atUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[index] ?? 0;
    atUs += delta;
    if (window && (atUs < window.fromMs * 1000 || atUs > window.toMs * 1000)) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName || '(anonymous)';
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = [...functions.values()].reduce((sum, us) => sum + us, 0);
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: round(us / 1000), pct: round((100 * us) / busyUs) }));
  return { busyMs: round(busyUs / 1000), idleMs: round(idleUs / 1000), byFunction: ranked(functions), byPackage: ranked(packages) };
}

export function printSelfTimes(title: string, rows: readonly SelfTime[]): void {
  console.log(`\n${title}`);
  for (const row of rows) console.log(`  ${row.pct.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/cpu-profile.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  const summary = summariseProfile(file, Number(process.argv[3] ?? 25));
  console.log(`busy ${summary.busyMs} ms, idle ${summary.idleMs} ms`);
  printSelfTimes('self time by package', summary.byPackage);
  printSelfTimes('self time by function', summary.byFunction);
}

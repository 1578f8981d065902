/** Figures against their targets (issue 14): one table printed, the same rows kept in the result JSON. */
export interface TargetRow {
  figure: string;
  value: number;
  unit: string;
  /** Met when value <= target. */
  target: number;
  met: boolean;
}

export function targetRow(figure: string, value: number, unit: string, target: number): TargetRow {
  return { figure, value: Math.round(value * 1000) / 1000, unit, target, met: value <= target };
}

export function printTargets(rows: readonly TargetRow[]): void {
  const cells = rows.map((r) => [r.figure, `${r.value} ${r.unit}`, `≤ ${r.target} ${r.unit}`, r.met ? 'met' : 'MISSED']);
  const head = ['figure', 'measured', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}

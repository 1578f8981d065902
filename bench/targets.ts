/** Figures against their targets (issue 14): one table printed, the same rows kept in the result JSON. */
export interface TargetRow {
  figure: string;
  value: number;
  unit: string;
  /** The bound; null: a figure reported without a target. */
  target: number | null;
  /** '<=': met when value <= target (times, memory); '>=': met when value >= target (ratios). */
  comparison: '<=' | '>=';
  /** null when there is no target. */
  met: boolean | null;
}

export function targetRow(figure: string, value: number, unit: string, target: number | null, comparison: '<=' | '>=' = '<='): TargetRow {
  const met = target === null ? null : comparison === '<=' ? value <= target : value >= target;
  return { figure, value: Math.round(value * 1000) / 1000, unit, target, comparison, met };
}

export function printTargets(rows: readonly TargetRow[]): void {
  const sign = (r: TargetRow) => (r.comparison === '<=' ? '≤' : '≥');
  const cells = rows.map((r) => [
    r.figure,
    `${r.value} ${r.unit}`,
    r.target === null ? 'report' : `${sign(r)} ${r.target} ${r.unit}`,
    r.met === null ? '' : r.met ? 'MET' : 'MISSED',
  ]);
  const head = ['figure', 'measured', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
}

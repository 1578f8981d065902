/** Metrics shared by the segment and anomaly evaluations (bench/segments-eval.ts, bench/anomaly-eval.ts). */

/** ROC-AUC by the rank-sum (Mann-Whitney) statistic, ties at their mid-rank. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (!positive[order[k]]) continue;
      pos++;
      rankSum += mid;
    }
    i = j + 1;
  }
  const neg = n - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : Number.NaN;
}

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

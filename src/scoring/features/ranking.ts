/**
 * A popularity ranking kept current one count at a time: every id's count, ids bucketed by count (each
 * bucket sorted), and the top `size` ids (most first, ties by id) that the as-of view's candidate lists
 * read. A change costs two sorted-bucket moves; the top list is gathered again (size + highest count
 * steps) only when the change can reach it, so the long tail of products never re-sorts anything.
 */
export class Ranking {
  private readonly counts = new Map<string, number>();
  /** buckets[c]: the ids counted c times, ascending (holes where none). */
  private readonly buckets: string[][] = [];
  private list: string[];

  constructor(
    counts: ReadonlyMap<string, number>,
    readonly size: number,
  ) {
    for (const [id, n] of counts) {
      if (n <= 0) continue;
      this.counts.set(id, n);
      (this.buckets[n] ??= []).push(id);
    }
    for (const bucket of this.buckets) bucket?.sort();
    this.list = this.gather();
  }

  /** The top ids, most counted first (ties: lower id first), at most `size`; a new array after each change that moved it. */
  get top(): string[] {
    return this.list;
  }

  count(id: string): number {
    return this.counts.get(id) ?? 0;
  }

  /** Counts `id` once more (+1) or once less (-1); true when the top list changed. */
  add(id: string, by: 1 | -1): boolean {
    const before = this.counts.get(id) ?? 0;
    const after = before + by;
    if (after < 0) throw new Error(`Ranking: ${id} counted below zero`);
    const reaches = by > 0 ? this.reaches(id, after) || this.reaches(id, before) : this.reaches(id, before);
    if (before > 0) removeSorted(this.buckets[before], id);
    if (after > 0) {
      insertSorted((this.buckets[after] ??= []), id);
      this.counts.set(id, after);
    } else this.counts.delete(id);
    if (reaches) this.list = this.gather();
    return reaches;
  }

  /** Whether an id counted n times sits in the top list (or would: the list is not full). */
  private reaches(id: string, n: number): boolean {
    if (n <= 0) return false;
    if (this.list.length < this.size) return true;
    const last = this.list[this.list.length - 1];
    const lastCount = this.counts.get(last) ?? 0;
    return n > lastCount || (n === lastCount && id <= last);
  }

  private gather(): string[] {
    const out: string[] = [];
    for (let n = this.buckets.length - 1; n > 0 && out.length < this.size; n--) {
      const bucket = this.buckets[n];
      if (!bucket) continue;
      for (let i = 0; i < bucket.length && out.length < this.size; i++) out.push(bucket[i]);
    }
    return out;
  }
}

function lowerBound(list: readonly string[], id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: string[], id: string): void {
  list.splice(lowerBound(list, id), 0, id);
}

function removeSorted(list: string[], id: string): void {
  const at = lowerBound(list, id);
  if (list[at] === id) list.splice(at, 1);
}

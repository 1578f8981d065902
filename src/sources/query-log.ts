/**
 * Counts the statements each source really executes (SQL statements seen by the driver,
 * document and file look-ups), so tests can prove batching at the source rather than estimate it.
 */
export class SourceQueryLog {
  private readonly counts = new Map<string, number>();

  record(source: string): void {
    this.counts.set(source, (this.counts.get(source) ?? 0) + 1);
  }

  count(source?: string): number {
    if (source !== undefined) return this.counts.get(source) ?? 0;
    let total = 0;
    for (const value of this.counts.values()) total += value;
    return total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}

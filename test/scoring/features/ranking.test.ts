/**
 * Ranking (the as-of view's live popularity lists): after any sequence of +1/-1 changes its top list is the
 * full sort of its counts (most first, ties by id, zero counts left out), and it says when the list moved.
 */
import { rng } from '../../../src/scoring/features';
import { Ranking } from '../../../src/scoring/features/ranking';

function sortedTop(counts: Map<string, number>, size: number): string[] {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([id]) => id);
}

describe('Ranking', () => {
  it.each([1, 2, 3])('keeps the top list of the counts through random changes (seed %i)', (seed) => {
    const random = rng(seed);
    const ids = Array.from({ length: 300 }, (_, i) => `p${Math.floor(random() * 1e6).toString(36)}${i}`);
    const counts = new Map<string, number>();
    for (const id of ids.slice(0, 150)) counts.set(id, 1 + Math.floor(random() * 5));
    const ranking = new Ranking(counts, 20);
    expect(ranking.top).toEqual(sortedTop(counts, 20));
    let moves = 0;
    for (let step = 0; step < 5000; step++) {
      const id = ids[Math.floor(random() ** 2 * ids.length)];
      const n = counts.get(id) ?? 0;
      const by = n > 0 && random() < 0.45 ? -1 : 1;
      counts.set(id, n + by);
      const before = ranking.top;
      const moved = ranking.add(id, by);
      expect(ranking.top).toEqual(sortedTop(counts, 20));
      if (!moved) expect(ranking.top).toBe(before);
      if (moved) moves += 1;
      expect(ranking.count(id)).toBe(n + by);
    }
    // Most changes are in the tail and leave the list alone; some reach it.
    expect(moves).toBeGreaterThan(0);
    expect(moves).toBeLessThan(5000);
  });

  it('refuses to count below zero', () => {
    const ranking = new Ranking(new Map([['a', 1]]), 5);
    ranking.add('a', -1);
    expect(ranking.top).toEqual([]);
    expect(() => ranking.add('a', -1)).toThrow('below zero');
  });
});

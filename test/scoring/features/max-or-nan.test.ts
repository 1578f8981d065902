import { maxOrNaN } from '../../../src/scoring/features/event-series';

/**
 * Regression: `Math.max(...values, NaN)` is always NaN, which made d_seller_late and
 * d_log_distance_km answer their fill value for every order (manifest version 1).
 */
describe('maxOrNaN', () => {
  it('is the largest finite value, NaN when there is none', () => {
    expect(maxOrNaN([0.1, 0.3, 0.2])).toBe(0.3);
    expect(maxOrNaN([Number.NaN, 2, Number.NaN, -1])).toBe(2);
    expect(maxOrNaN([-5, -3])).toBe(-3);
    expect(maxOrNaN([])).toBeNaN();
    expect(maxOrNaN([Number.NaN, Number.POSITIVE_INFINITY])).toBeNaN();
  });
});

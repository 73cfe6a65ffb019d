import { describe, expect, it } from 'vitest';
import { marginals, summarize, target } from '../../bench/_stats.mjs';

describe('summarize', () => {
  it('gives the median, minimum and maximum of odd and even counts', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
  });

  it('refuses an empty list', () => {
    expect(() => summarize([])).toThrow();
  });
});

describe('marginals', () => {
  it('is the slope between consecutive sizes, in the order of size', () => {
    expect(
      marginals([
        { size: 1000, time: 900 },
        { size: 9, time: 9 },
        { size: 200, time: 200 },
      ]),
    ).toEqual([
      { from: 9, to: 200, perComponent: 1 },
      { from: 200, to: 1000, perComponent: 0.875 },
    ]);
  });

  it('is constant for a linear cost with a fixed start-up', () => {
    const slopes = marginals([200, 1000, 5000].map((size) => ({ size, time: 50 + 0.7 * size })));
    for (const slope of slopes) expect(slope.perComponent).toBeCloseTo(0.7);
  });
});

describe('target', () => {
  it('passes at or below the limit only', () => {
    expect(target('x', 1.5, 1.5).pass).toBe(true);
    expect(target('x', 1.51, 1.5).pass).toBe(false);
    expect(target('x', Number.NaN, 1.5).pass).toBe(false);
  });
});

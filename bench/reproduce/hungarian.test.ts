import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random';
import { hungarianMax } from './hungarian';

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

describe('hungarianMax', () => {
  it('finds the best assignment, as brute force does, on random matrices', () => {
    const rng = mulberry32(5);
    for (let t = 0; t < 200; t++) {
      const n = 1 + (t % 7);
      const m = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.floor(rng() * 50)));
      const assign = hungarianMax(m);
      expect(new Set(assign).size).toBe(n);
      const total = assign.reduce((s, c, r) => s + m[r]![c]!, 0);
      const best = Math.max(...permutations(n).map((p) => p.reduce((s, c, r) => s + m[r]![c]!, 0)));
      expect(total).toBe(best);
    }
  });

  it('matches a shuffled confusion matrix back to its permutation', () => {
    const perm = [3, 0, 9, 1, 7, 2, 8, 4, 6, 5];
    const confusion = perm.map((col, row) =>
      Array.from({ length: 10 }, (_, j) => (j === col ? 90 : 1) + ((row * j) % 3)),
    );
    expect(hungarianMax(confusion)).toEqual(perm);
  });

  it('refuses a matrix that is not square', () => {
    expect(() => hungarianMax([[1, 2]])).toThrow(/square/);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { pca2 } from './pca';

describe('pca2', () => {
  it('finds the two directions with the most variance', () => {
    // Points spread 5× along (1,1,0,0)/√2 and 2× along (0,0,1,0), little elsewhere.
    const rng = mulberry32(3);
    const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
    const n = 2000;
    const d = 4;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = 5 * gauss();
      const b = 2 * gauss();
      data.set([a / Math.SQRT2 + 0.1 * gauss(), a / Math.SQRT2 + 0.1 * gauss(), b, 0.1 * gauss()], i * d);
    }
    const { xy, explained } = pca2(data, n, d);
    expect(explained[0]).toBeGreaterThan(0.8);
    expect(explained[1]).toBeGreaterThan(0.1);
    let v0 = 0;
    let v1 = 0;
    for (let i = 0; i < n; i++) {
      v0 += xy[2 * i]! ** 2 / n;
      v1 += xy[2 * i + 1]! ** 2 / n;
    }
    expect(Math.sqrt(v0)).toBeCloseTo(5, 0);
    expect(Math.sqrt(v1)).toBeCloseTo(2, 0);
  });

  it('passes 2D data through', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(pca2(data, 2, 2).xy)).toEqual([1, 2, 3, 4]);
  });
});

describe('pca2 on a code pushed toward N(0, I)', () => {
  it('still finds the axes when the top variances are close (power iteration crawled here)', () => {
    // 20 dims of unit variance, except dims 3 and 11 with std 1.1 and 1.05: the top two directions.
    const rng = mulberry32(9);
    const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
    const n = 4000;
    const d = 20;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n * d; i++) {
      const j = i % d;
      data[i] = (j === 3 ? 1.6 : j === 11 ? 1.3 : 1) * gauss();
    }
    const { xy, explained } = pca2(data, n, d);
    // The first axis is dim 3: its projection correlates with that coordinate almost perfectly.
    const corr = (k: number, j: number) => {
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        const x = xy[2 * i + k]!;
        const y = data[i * d + j]!;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      return Math.abs(sxy) / Math.sqrt(sxx * syy);
    };
    expect(corr(0, 3)).toBeGreaterThan(0.95);
    expect(corr(1, 11)).toBeGreaterThan(0.9);
    const expected = 1.6 ** 2 / (1.6 ** 2 + 1.3 ** 2 + 18);
    expect(explained[0]).toBeCloseTo(expected, 1);
    expect(explained[0]).toBeGreaterThanOrEqual(explained[1]);
  });
});

import { jacobiEigen } from './linalg';

/**
 * Projects n points of dimension d onto their first two principal components: the covariance in one
 * pass, then its eigenvectors by cyclic Jacobi rotations (exact and quick for the d ≤ 100 of a latent
 * code; power iteration crawls when the top eigenvalues are close, as they are for a code pushed toward
 * N(0, I)). Pure and small: a latent map needs two axes, not a linear-algebra library. It runs on the
 * page when a view refreshes, so it allocates little and stays well under a frame.
 */
export function pca2(
  data: Float32Array,
  n: number,
  d: number,
): { xy: Float32Array; explained: [number, number] } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
  if (d <= 2) {
    const xy = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xy[i * 2 + j] = data[i * d + j]!;
    return { xy, explained: [1, d === 2 ? 1 : 0] };
  }
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) row[a] = data[i * d + a]! - mean[a]!;
    for (let a = 0; a < d; a++) {
      const va = row[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += va * row[b]!;
    }
  }
  const scale = 1 / Math.max(1, n - 1);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] = cov[a * d + b]! * scale;
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a]!;
  const { values, vectors: vecs } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);
  const [c0, c1] = order as [number, number];
  const xy = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let s0 = 0;
    let s1 = 0;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j]! - mean[j]!;
      s0 += v * vecs[j * d + c0]!;
      s1 += v * vecs[j * d + c1]!;
    }
    xy[i * 2] = s0;
    xy[i * 2 + 1] = s1;
  }
  const share = (c: number) => (total ? Math.max(0, values[c]!) / total : 0);
  return { xy, explained: [share(c0), share(c1)] };
}

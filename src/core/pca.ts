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
  const vecs = jacobiEigen(cov, d);
  // Diagonal = eigenvalues; take the two largest.
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => cov[y * d + y]! - cov[x * d + x]!);
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
  const share = (c: number) => (total ? Math.max(0, cov[c * d + c]!) / total : 0);
  return { xy, explained: [share(c0), share(c1)] };
}

/**
 * Diagonalises the symmetric d×d matrix `a` in place by cyclic Jacobi rotations; returns the
 * eigenvectors as the columns of a d×d matrix (a's diagonal holds the eigenvalues).
 */
function jacobiEigen(a: Float64Array, d: number): Float64Array {
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  return v;
}

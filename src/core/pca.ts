/**
 * Projects n points of dimension d onto their first two principal components (power iteration on the
 * covariance, with deflation). Pure and small: a latent map needs two axes, not a linear-algebra library.
 */
export function pca2(
  data: Float32Array,
  n: number,
  d: number,
): { xy: Float32Array; explained: [number, number] } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  if (d <= 2) {
    const xy = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xy[i * 2 + j] = data[i * d + j]!;
    return { xy, explained: [1, d === 2 ? 1 : 0] };
  }
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      const va = data[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++)
        cov[a * d + b]! += (va * (data[i * d + b]! - mean[b]!)) / Math.max(1, n - 1);
    }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a]!;
  const comps: Float64Array[] = [];
  const vals: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = new Float64Array(d).map((_, i) => 1 + ((i * 7919 + k * 104729) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b]! * v[b]!;
        w[a] = s;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      const next = w.map((x) => x / norm);
      const delta = next.reduce((s, x, i) => s + Math.abs(x - v[i]!), 0);
      v = next;
      lambda = norm;
      if (delta < 1e-10) break;
    }
    comps.push(v);
    vals.push(lambda);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b]! -= lambda * v[a]! * v[b]!;
  }
  const xy = new Float32Array(n * 2);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j]! - mean[j]!) * comps[k]![j]!;
      xy[i * 2 + k] = s;
    }
  return { xy, explained: [total ? vals[0]! / total : 0, total ? vals[1]! / total : 0] };
}

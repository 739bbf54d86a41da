/**
 * Fréchet distance between Gaussians fitted to two feature sets (the FID formula, here over the
 * project classifier's 128-d features):
 *   FD = ‖μ₁ − μ₂‖² + Tr C₁ + Tr C₂ − 2 Tr (C₁C₂)^½
 * C₁C₂ is not symmetric, so Tr (C₁C₂)^½ is computed as Tr (S C₂ S)^½ with S = C₁^½: the two matrices
 * are similar (S⁻¹·S C₂ S·S = C₁C₂), share eigenvalues, and S C₂ S is symmetric PSD, so two symmetric
 * eigen-decompositions suffice. Plain Float64 TS; d = 128 is small enough for Jacobi.
 */
import { jacobiEigen } from '../../core/linalg';

export { jacobiEigen };

export interface FeatureStats {
  n: number;
  d: number;
  mean: Float64Array;
  /** d × d row-major, unbiased (n − 1). */
  cov: Float64Array;
}

export function featureStats(features: Float32Array | Float64Array, d: number): FeatureStats {
  const n = features.length / d;
  if (!Number.isInteger(n) || n < 2) throw new Error(`featureStats: need ≥ 2 rows of ${d}, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += features[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = features[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue; // post-ReLU features are sparse
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { n, d, mean, cov };
}

/** Square root of a symmetric PSD matrix; eigenvalues below 0 (round-off) are clamped to 0. */
export function sqrtmPsd(m: Float64Array, n: number): Float64Array {
  const { values, vectors } = jacobiEigen(m, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(0, values[k]!));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * s;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * vectors[j * n + k]!;
    }
  }
  return out;
}

export function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/** Tr (C₁C₂)^½ for symmetric PSD C₁, C₂ (see the file comment). */
export function traceSqrtProduct(c1: Float64Array, c2: Float64Array, n: number): number {
  const s = sqrtmPsd(c1, n);
  const m = matMul(matMul(s, c2, n), s, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = avg;
      m[j * n + i] = avg;
    }
  }
  const { values } = jacobiEigen(m, n);
  let tr = 0;
  for (const v of values) tr += Math.sqrt(Math.max(0, v));
  return tr;
}

export function frechetFromStats(a: FeatureStats, b: FeatureStats): number {
  const d = a.d;
  if (b.d !== d) throw new Error(`frechet: dimension ${a.d} vs ${b.d}`);
  let meanTerm = 0;
  let trace = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
    trace += a.cov[i * d + i]! + b.cov[i * d + i]!;
  }
  return meanTerm + trace - 2 * traceSqrtProduct(a.cov, b.cov, d);
}

export function frechetDistance(f1: Float32Array, f2: Float32Array, d: number): number {
  return frechetFromStats(featureStats(f1, d), featureStats(f2, d));
}

import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNode, toFloatImages } from '../data/mnist-node';
import { initNodeBackend } from '../node-backend';
import { classify, FEATURE_DIM } from './classifier';
import {
  blur5x5,
  classShares,
  confidentShare,
  copyShare,
  featureStats,
  frechetDistance,
  frechetFromStats,
  jacobiEigen,
  nearestTrainDistances,
  scoreSamples,
} from './metrics';
import type { FeatureStats } from './metrics';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function randomSymmetric(n: number, rand: () => number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = gaussian(rand);
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  return m;
}

/** Q diag(eig) Qᵀ for the orthonormal eigenvectors Q of a random symmetric matrix. */
function withSpectrum(q: Float64Array, eig: number[], n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k]! * eig[k]! * q[j * n + k]!;
      out[i * n + j] = s;
    }
  }
  return out;
}

function stats(mean: number[], cov: Float64Array): FeatureStats {
  return { n: 1000, d: mean.length, mean: Float64Array.from(mean), cov };
}

describe('Jacobi eigen solver', () => {
  it('reconstructs a random symmetric matrix with orthonormal eigenvectors', () => {
    const n = 40;
    const a = randomSymmetric(n, rng(3));
    const { values, vectors, sweeps } = jacobiEigen(a, n);
    expect(sweeps).toBeLessThan(20);
    let maxErr = 0;
    let maxOrth = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rec = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          rec += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
          dot += vectors[k * n + i]! * vectors[k * n + j]!;
        }
        maxErr = Math.max(maxErr, Math.abs(rec - a[i * n + j]!));
        maxOrth = Math.max(maxOrth, Math.abs(dot - (i === j ? 1 : 0)));
      }
    }
    expect(maxErr).toBeLessThan(1e-10);
    expect(maxOrth).toBeLessThan(1e-10);
  });
});

describe('Fréchet distance', () => {
  const rand = rng(7);
  const d = 16;
  const n = 3000;
  // Correlated features: x = z·M, so the covariance is far from diagonal.
  const mix = Array.from({ length: d * d }, () => gaussian(rand));
  const features = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, () => gaussian(rand));
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += z[k]! * mix[k * d + j]!;
      features[i * d + j] = s;
    }
  }

  it('is ≈ 0 between a set and itself', () => {
    const st = featureStats(features, d);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += st.cov[i * d + i]!;
    expect(Math.abs(frechetDistance(features, features, d))).toBeLessThan(1e-6 * trace);
  });

  it('equals ‖δ‖² for the same set shifted by δ', () => {
    const delta = Array.from({ length: d }, (_, j) => (j % 3) - 1 + 0.25);
    const shifted = features.map((v, i) => v + delta[i % d]!);
    const expected = delta.reduce((s, v) => s + v * v, 0);
    expect(frechetDistance(features, shifted, d)).toBeCloseTo(expected, 3);
  });

  it('matches the closed form for commuting covariances, ‖δ‖² + Σ(√a − √b)²', () => {
    const k = 12;
    const q = jacobiEigen(randomSymmetric(k, rng(11)), k).vectors;
    const a = Array.from({ length: k }, (_, i) => 0.5 + i);
    const b = Array.from({ length: k }, (_, i) => 4 / (1 + i));
    const mu1 = Array.from({ length: k }, (_, i) => i / 10);
    const mu2 = Array.from({ length: k }, (_, i) => -i / 20);
    let expected = 0;
    for (let i = 0; i < k; i++)
      expected += (mu1[i]! - mu2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b[i]!)) ** 2;
    const fd = frechetFromStats(stats(mu1, withSpectrum(q, a, k)), stats(mu2, withSpectrum(q, b, k)));
    expect(fd).toBeCloseTo(expected, 8);
  });

  it('matches the 2×2 closed form for non-commuting covariances', () => {
    // For 2×2 M with positive eigenvalues, Tr √M = √(Tr M + 2√det M).
    const c1 = Float64Array.from([2, 0.9, 0.9, 1]);
    const c2 = Float64Array.from([0.5, -0.3, -0.3, 3]);
    const trProd = c1[0]! * c2[0]! + c1[1]! * c2[2]! + c1[2]! * c2[1]! + c1[3]! * c2[3]!;
    const det = (c: Float64Array) => c[0]! * c[3]! - c[1]! * c[2]!;
    const trSqrt = Math.sqrt(trProd + 2 * Math.sqrt(det(c1) * det(c2)));
    const expected = 1 + 2 + 1 + 0.5 + 3 - 2 * trSqrt;
    expect(frechetFromStats(stats([1, 0], c1), stats([0, 0], c2))).toBeCloseTo(expected, 10);
  });
});

describe('shares', () => {
  it('counts confident rows and class shares from probabilities', () => {
    const probs = new Float32Array(40);
    [0.95, 0.5, 0.91, 0.2].forEach((p, i) => {
      probs.fill((1 - p) / 9, i * 10, i * 10 + 10);
      probs[i * 10 + (i % 2 === 0 ? 3 : 7)] = p;
    });
    expect(confidentShare(probs, 0.9)).toBe(0.5);
    expect(classShares(probs)).toEqual([0, 0, 0, 0.5, 0, 0, 0, 0.5, 0, 0]);
  });
});

describe('on real MNIST with the committed classifier', () => {
  const n = 1000;
  let test: Float32Array;
  let train: Uint8Array;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    test = toFloatImages(loadMnistNode('test').images, 0, 3000);
    train = loadMnistNode('train').images;
  });

  it('gives real test digits a high confident share and near-uniform class shares', () => {
    const { probs } = classify(test.subarray(0, n * 784));
    expect(confidentShare(probs)).toBeGreaterThan(0.9);
    for (const share of classShares(probs)) expect(Math.abs(share - 0.1)).toBeLessThan(0.05);
  });

  it('gives uniform noise and blank images a low confident share', () => {
    const rand = rng(5);
    const noise = Float32Array.from({ length: 200 * 784 }, () => rand());
    expect(confidentShare(classify(noise).probs)).toBeLessThan(0.5);
    const blank = new Float32Array(200 * 784);
    expect(confidentShare(classify(blank).probs)).toBeLessThan(0.5);
  });

  it('flags training images as copies and not held-out test digits', () => {
    const fromTrain = toFloatImages(train, 5000, 200);
    expect(copyShare(fromTrain, train)).toBe(1);
    const dists = nearestTrainDistances(test.subarray(0, 200 * 784), train);
    expect(copyShare(test.subarray(0, 200 * 784), train)).toBeLessThan(0.05);
    expect(Math.min(...dists)).toBeGreaterThan(0);
  });

  it('blurs with zero padding and keeps the size', () => {
    const img = new Float32Array(784).fill(1);
    const out = blur5x5(img);
    expect(out.length).toBe(784);
    expect(out[14 * 28 + 14]).toBeCloseTo(1, 6);
    expect(out[0]).toBeCloseTo(9 / 25, 6); // corner: 3×3 of the 5×5 window is inside
  });

  it('puts blurred digits further from the test set than real held-out digits', () => {
    const ref = featureStats(classify(test.subarray(0, 2000 * 784)).features, FEATURE_DIM);
    const heldOut = classify(toFloatImages(train, 0, n)).features;
    const blurred = classify(blur5x5(test.subarray(2000 * 784, 3000 * 784))).features;
    const fdReal = frechetFromStats(featureStats(heldOut, FEATURE_DIM), ref);
    const fdBlur = frechetFromStats(featureStats(blurred, FEATURE_DIM), ref);
    console.log(`FD n=${n} vs 2000 test: real train ${fdReal.toFixed(3)}, blurred test ${fdBlur.toFixed(3)}`);
    expect(fdReal).toBeGreaterThan(0);
    expect(fdBlur).toBeGreaterThan(3 * fdReal);
  });

  it('scores held-out real digits well and noise badly with scoreSamples', () => {
    const real = scoreSamples(test.subarray(2000 * 784, 2500 * 784));
    expect(real.count).toBe(500);
    expect(real.fdBlurRatio).toBeLessThan(0.1);
    expect(real.fd).toBeLessThan(3 * real.fdRealTrain);
    expect(real.confidentShare).toBeGreaterThan(0.9);
    expect(real.copyShare).toBeLessThan(0.05);
    const rand = rng(9);
    const noise = scoreSamples(
      Float32Array.from({ length: 500 * 784 }, () => rand()),
      { skipCopyCheck: true },
    );
    expect(noise.fdBlurRatio).toBeGreaterThan(1);
    expect(noise.copyShare).toBeNull();
    expect(noise.fdBlur).toBe(real.fdBlur); // same n: the cached yardstick
  });
});

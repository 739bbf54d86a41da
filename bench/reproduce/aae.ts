/**
 * AAE bars: codes of the test set against the N(0, I) prior: largest per-dimension Kolmogorov–Smirnov
 * statistic ≤ 0.15, each dimension's std in [0.75, 1.3], a classifier two-sample test ≤ 0.85 accuracy;
 * reconstruction L1 ≤ 0.12 (pixels in [−1, 1]); prior samples' Fréchet distance ≤ 0.6 × blur.
 *   npx tsx bench/reproduce/aae.ts --checkpoint runs/aae-seed1/checkpoint
 * The two-sample classifier is an MLP (dim-64-64-1) trained on 7,000 codes and 7,000 prior draws and
 * tested on the other 3,000 of each.
 */
import type { Tensor } from '../../src/core/kinds/types';
import { mulberry32 } from '../../src/core/random';
import { loadMnistNode } from '../../src/runtime/data/mnist-node';
import { scoreSamples } from '../../src/runtime/scoring/metrics';
import { args, loadTrained, tf, writeJson } from './common';

const a = args({
  checkpoint: { type: 'string' },
  doc: { type: 'string', default: 'templates/aae.json' },
  preset: { type: 'string' },
  out: { type: 'string' },
});
const { call } = await loadTrained(a.doc as string, a.checkpoint as string, a.preset as string | undefined);
const test = loadMnistNode('test');
const N = test.count;
const t0 = performance.now();
const x = new Float32Array(N * 784);
for (let i = 0; i < x.length; i++) x[i] = (test.images[i]! / 255) * 2 - 1;

let d = 0;
const codes: Float32Array[] = [];
let l1 = 0;
for (let s = 0; s < N; s += 500) {
  const n = Math.min(500, N - s);
  tf.tidy(() => {
    const xb = tf.tensor4d(x.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1]);
    const z = call('enc', { x: xb }).z as Tensor;
    d = z.shape[1]!;
    codes.push(Float32Array.from(z.dataSync()));
    const rec = call('dec', { z }).x as Tensor;
    l1 += tf.sum(tf.abs(tf.sub(rec, xb))).dataSync()[0]!;
  });
}
const Z = new Float32Array(N * d);
codes.reduce((at, c) => (Z.set(c, at), at + c.length), 0);

// Per-dimension KS statistic against the standard normal CDF, and std.
const erf = (v: number) => {
  const t = 1 / (1 + 0.3275911 * Math.abs(v));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-v * v);
  return v >= 0 ? y : -y;
};
const Phi = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
const ks: number[] = [];
const std: number[] = [];
for (let j = 0; j < d; j++) {
  const col = Array.from({ length: N }, (_, i) => Z[i * d + j]!).sort((p, q) => p - q);
  let D = 0;
  col.forEach((v, i) => (D = Math.max(D, Math.abs(Phi(v) - i / N), Math.abs(Phi(v) - (i + 1) / N))));
  ks.push(D);
  const m = col.reduce((s, v) => s + v, 0) / N;
  std.push(Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / (N - 1)));
}

// Classifier two-sample test: can an MLP tell encoded test digits from prior samples?
const prior = tf.randomNormal([N, d], 0, 1, 'float32', 77);
const all = tf.concat([tf.tensor2d(Z, [N, d]), prior]);
const labels = tf.concat([tf.ones([N, 1]), tf.zeros([N, 1])]);
// Seeded throughout (split, initial weights, no reshuffling), so a checkpoint always scores the same.
const rng = mulberry32(2024);
const perm = Int32Array.from({ length: 2 * N }, (_, i) => i);
for (let i = perm.length - 1; i > 0; i--) {
  const j = Math.floor(rng() * (i + 1));
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
}
const idx = tf.tensor1d(perm, 'int32');
const X = tf.gather(all, idx);
const Y = tf.gather(labels, idx);
const nTrain = Math.floor(2 * N * 0.7);
const [Xtr, Xte] = tf.split(X, [nTrain, 2 * N - nTrain]);
const [Ytr, Yte] = tf.split(Y, [nTrain, 2 * N - nTrain]);
const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [d], units: 64, activation: 'relu', kernelInitializer: init(1) }),
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(2) }),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(3) }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
await model.fit(Xtr!, Ytr!, { epochs: 20, batchSize: 128, verbose: 0, shuffle: false });
const c2st = ((await model.evaluate(Xte!, Yte!)) as tf.Scalar[])[1]!.dataSync()[0]!;

// Prior samples decoded and scored against real test digits.
const samples = tf.tidy(() =>
  tf.div(tf.add(call('dec', { z: tf.randomNormal([10000, d], 0, 1, 'float32', 99) }).x as Tensor, 1), 2),
);
const score = scoreSamples(Float32Array.from(samples.dataSync()), { skipCopyCheck: true });

writeJson((a.out as string) ?? `${String(a.checkpoint).replace(/\/checkpoint\/?$/, '')}/eval.json`, {
  maxKs: Math.max(...ks),
  ks: ks.map((v) => Math.round(v * 1000) / 1000),
  std: std.map((v) => Math.round(v * 1000) / 1000),
  c2stAccuracy: c2st,
  reconL1: l1 / (N * 784),
  priorSamples: {
    fd: score.fd,
    fdBlur: score.fdBlur,
    fdBlurRatio: score.fdBlurRatio,
    confidentShare: score.confidentShare,
    classShares: score.classShares.map((v) => Math.round(v * 1000) / 1000),
  },
  seconds: (performance.now() - t0) / 1000,
  bars: {
    maxKs: '≤ 0.15',
    std: '0.75–1.3 each',
    c2stAccuracy: '≤ 0.85',
    reconL1: '≤ 0.12',
    fdBlurRatio: '≤ 0.6',
  },
});

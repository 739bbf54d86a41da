/**
 * VAE bars (issue: templates reproduce): test −ELBO ≤ 106 nats, importance-weighted bound (k = 500)
 * ≤ 100, KL between 15 and 35, reconstructions keep their digit ≥ 93%, prior samples cover every
 * digit at ≥ 2%. Run: npx tsx bench/reproduce/vae.ts --checkpoint runs/vae-seed1/checkpoint
 */
import { mulberry32 } from '../../src/core/random';
import type { GaussianValue, Tensor } from '../../src/core/kinds/types';
import { loadMnistNode } from '../../src/runtime/data/mnist-node';
import { classify } from '../../src/runtime/scoring/classifier';
import { classShares } from '../../src/runtime/scoring/metrics';
import { args, loadTrained, tf, writeJson } from './common';

const a = args({
  checkpoint: { type: 'string' },
  doc: { type: 'string', default: 'templates/vae.json' },
  'iw-images': { type: 'string', default: '10000' },
  k: { type: 'string', default: '500' },
  out: { type: 'string' },
});
const { call } = await loadTrained(a.doc as string, a.checkpoint as string);
const test = loadMnistNode('test');
const N = test.count;
// A fixed stochastic binarization of the test set, as the model was trained on binarized digits.
const rng = mulberry32(12345);
const bin = new Float32Array(N * 784);
const grey = new Float32Array(N * 784);
for (let i = 0; i < bin.length; i++) {
  grey[i] = test.images[i]! / 255;
  bin[i] = rng() < grey[i]! ? 1 : 0;
}
const EPS = 1e-7;
const logBernoulli = (x: Tensor, p: Tensor) =>
  tf.sum(
    tf.add(
      tf.mul(x, tf.log(tf.clipByValue(p, EPS, 1 - EPS))),
      tf.mul(tf.sub(1, x), tf.log(tf.clipByValue(tf.sub(1, p), EPS, 1 - EPS))),
    ),
    -1,
  );
const t0 = performance.now();

// Single-sample ELBO, its KL term, and reconstructions from the mean code.
let negElbo = 0;
let klSum = 0;
const recon = new Float32Array(N * 784);
for (let s = 0; s < N; s += 500) {
  const n = Math.min(500, N - s);
  tf.tidy(() => {
    const x = tf.tensor4d(bin.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1]);
    const q = call('enc', { x }).q as GaussianValue;
    const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', 1000 + s);
    const z = tf.add(q.mean, tf.mul(tf.exp(tf.mul(q.logvar, 0.5)), eps));
    const p = (call('dec', { z }).x as Tensor).reshape([n, 784]);
    const rec = tf.neg(logBernoulli(x.reshape([n, 784]), p));
    const kl = tf.sum(
      tf.mul(0.5, tf.sub(tf.add(tf.square(q.mean), tf.exp(q.logvar)), tf.add(1, q.logvar))),
      -1,
    );
    negElbo += tf.sum(tf.add(rec, kl)).dataSync()[0]!;
    klSum += tf.sum(kl).dataSync()[0]!;
    recon.set((call('dec', { z: q.mean }).x as Tensor).dataSync(), s * 784);
  });
}

// Importance-weighted bound: log (1/k) Σ p(x, z_i) / q(z_i | x), z_i ~ q(z | x).
const K = Number(a.k);
const M = Math.min(N, Number(a['iw-images']));
let iw = 0;
const LOG2PI = Math.log(2 * Math.PI);
const B = 10;
for (let i = 0; i < M; i += B) {
  const b = Math.min(B, M - i);
  iw += tf.tidy(() => {
    const x = tf.tensor4d(bin.subarray(i * 784, (i + b) * 784), [b, 28, 28, 1]);
    const q = call('enc', { x }).q as GaussianValue;
    const d = q.mean.shape[1]!;
    const std = tf.exp(tf.mul(q.logvar, 0.5)).reshape([b, 1, d]);
    const eps = tf.randomNormal([b, K, d], 0, 1, 'float32', 5000 + i);
    const z = tf.add(q.mean.reshape([b, 1, d]), tf.mul(std, eps));
    const p = (call('dec', { z: z.reshape([b * K, d]) }).x as Tensor).reshape([b, K, 784]);
    const logpx = logBernoulli(tf.tile(x.reshape([b, 1, 784]), [1, K, 1]), p);
    const logpz = tf.mul(-0.5, tf.sum(tf.add(tf.square(z), LOG2PI), -1));
    const logqz = tf.mul(
      -0.5,
      tf.sum(tf.add(tf.add(tf.square(eps), LOG2PI), q.logvar.reshape([b, 1, d])), -1),
    );
    const logw = tf.sub(tf.add(logpx, logpz), logqz);
    return -tf.sum(tf.sub(tf.logSumExp(logw, 1), Math.log(K))).dataSync()[0]!;
  });
  if ((i + b) % 1000 === 0) process.stderr.write(`iw ${i + b}/${M}\n`);
}

// Digits kept by reconstruction, and the classes of prior samples.
const labels = Array.from(test.labels);
const argmax = (p: Float32Array, i: number) => {
  let b = 0;
  for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + b]!) b = c;
  return b;
};
const recP = classify(recon).probs;
const origP = classify(grey).probs;
let keptLabel = 0;
let keptClass = 0;
for (let i = 0; i < N; i++) {
  if (argmax(recP, i) === labels[i]) keptLabel++;
  if (argmax(recP, i) === argmax(origP, i)) keptClass++;
}
const priorImgs = tf.tidy(() =>
  (call('dec', { z: tf.randomNormal([10000, 20], 0, 1, 'float32', 99) }).x as Tensor).reshape([10000, 784]),
);
const shares = classShares(classify(priorImgs).probs);
priorImgs.dispose();

const result = {
  testNegElbo: negElbo / N,
  iwBoundK: K,
  iwImages: M,
  testNegIwBound: iw / M,
  kl: klSum / N,
  reconKeepsLabel: keptLabel / N,
  reconKeepsClassifierClass: keptClass / N,
  priorClassShares: shares.map((x) => Math.round(x * 1000) / 1000),
  minPriorClassShare: Math.min(...shares),
  seconds: (performance.now() - t0) / 1000,
  bars: {
    testNegElbo: '≤ 106',
    testNegIwBound: '≤ 100',
    kl: '15–35',
    reconKeepsLabel: '≥ 0.93',
    minPriorClassShare: '≥ 0.02',
  },
};
writeJson((a.out as string) ?? `${String(a.checkpoint).replace(/\/checkpoint\/?$/, '')}/eval.json`, result);

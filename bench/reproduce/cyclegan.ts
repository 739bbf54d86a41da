/**
 * CycleGAN bars, on the test split where B is the known transform T of the very digit in A:
 *   cycle L1 ≤ 0.05 (F(G(a)) against a, G(F(b)) against b);
 *   L1 against the true pair ≤ 0.06 and at most half the identity baseline (doing nothing);
 *   our digit classifier keeps the digit on translations and cycles ≥ 95%;
 *   ≥ 85% of translations are classed as the target domain by a domain classifier.
 * L1 is the mean absolute pixel difference with pixels in [−1, 1], the range the template trains in
 * (in [0, 1] every L1 would be half). B-domain images are shown to the digit classifier as digits:
 * inverted back for 'invert'; as they are for 'thicken' (a thick digit is still a digit; the row
 * `digitOnTrueB` says how well the classifier reads the real ones).
 * The domain classifier is trained here (784-64-1, on real A and real B from the training split) and
 * its accuracy on real test images is reported beside its verdict on translations.
 *   npx tsx bench/reproduce/cyclegan.ts --checkpoint runs/cyclegan-seed1/checkpoint [--preset thicken]
 */
import type { Tensor } from '../../src/core/kinds/types';
import { TRANSFORMS } from '../../src/core/kinds/data-domains';
import { mulberry32 } from '../../src/core/random';
import { loadMnistNode } from '../../src/runtime/data/mnist-node';
import { classify, loadClassifier } from '../../src/runtime/scoring/classifier';
import { args, loadTrained, tf, writeJson } from './common';
import { readDocument } from '../../src/cli/common';
import { applyPreset } from '../../src/core/document/presets';

const a = args({
  checkpoint: { type: 'string' },
  doc: { type: 'string', default: 'templates/cyclegan.json' },
  preset: { type: 'string' },
  out: { type: 'string' },
  n: { type: 'string', default: '2000' },
});
const t0 = performance.now();
let doc = readDocument(a.doc as string);
if (a.preset) doc = applyPreset(doc, a.preset as string);
const dataNode = Object.values(doc.nodes).find((x) => x.kind === 'data.mnist_domains');
const transform = (dataNode?.params.transform ?? 'invert') as keyof typeof TRANSFORMS;
const T = TRANSFORMS[transform];
const { call } = await loadTrained(a.doc as string, a.checkpoint as string, a.preset as string | undefined);

/** n images of a split as [0, 1] floats; B is T of each. */
function domains(split: 'train' | 'test', n: number, from: number, seed: number) {
  const set = loadMnistNode(split);
  const rng = mulberry32(seed);
  const A = new Float32Array(n * 784);
  const B = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = from + (seed ? Math.floor(rng() * (set.count / 2)) : i);
    const img = Float32Array.from(set.images.subarray(k * 784, (k + 1) * 784), (v) => v / 255);
    A.set(img, i * 784);
    T(img);
    B.set(img, i * 784);
    labels[i] = set.labels[k]!;
  }
  return { A, B, labels };
}

/** Runs a translator over [0, 1] images, in its [−1, 1] range, and returns [0, 1] images. */
function translate(node: string, images: Float32Array): Float32Array {
  const out = new Float32Array(images.length);
  for (let s = 0; s < images.length / 784; s += 250) {
    const n = Math.min(250, images.length / 784 - s);
    const y = tf.tidy(() => {
      const x = tf.sub(tf.mul(tf.tensor4d(images.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1]), 2), 1);
      const r = call(node, { x }).y as Tensor;
      return tf.clipByValue(tf.div(tf.add(r, 1), 2), 0, 1);
    });
    out.set(y.dataSync(), s * 784);
    y.dispose();
  }
  return out;
}

/** Mean absolute difference, with [0, 1] inputs measured in the [−1, 1] range. */
const l1 = (x: Float32Array, y: Float32Array) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - y[i]!);
  return (2 * s) / x.length;
};

const classifier = loadClassifier();
/** Share of images our classifier reads as their label; B-domain images are first shown as digits. */
function digitKept(images: Float32Array, labels: Int32Array, domainB: boolean): number {
  const view = domainB && transform === 'invert' ? images.map((v) => 1 - v) : images;
  const { probs } = classify(view, { classifier });
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (probs[i * 10 + j]! > probs[i * 10 + best]!) best = j;
    if (best === labels[i]) hits++;
  }
  return hits / labels.length;
}

// The domain classifier: real A (label 0) against real B (label 1), from the training halves.
const train = { a: domains('train', 6000, 0, 11).A, b: domains('train', 6000, 30000, 12).B };
const w1 = tf.variable(tf.randomNormal([784, 64], 0, 0.05, 'float32', 3));
const b1 = tf.variable(tf.zeros([64]));
const w2 = tf.variable(tf.randomNormal([64, 1], 0, 0.05, 'float32', 4));
const b2 = tf.variable(tf.zeros([1]));
const logit = (x: Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2).reshape([-1]);
const opt = tf.train.adam(1e-3);
const order = mulberry32(5);
for (let step = 0; step < 600; step++) {
  const n = 64;
  const xs = new Float32Array(2 * n * 784);
  for (let i = 0; i < n; i++) {
    const ka = Math.floor(order() * 6000);
    const kb = Math.floor(order() * 6000);
    xs.set(train.a.subarray(ka * 784, (ka + 1) * 784), i * 784);
    xs.set(train.b.subarray(kb * 784, (kb + 1) * 784), (n + i) * 784);
  }
  tf.tidy(() => {
    const x = tf.tensor2d(xs, [2 * n, 784]);
    const y = tf.concat([tf.zeros([n]), tf.ones([n])]);
    opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, logit(x)) as tf.Scalar);
  });
}
/** Share of images the domain classifier puts in domain B. */
function shareB(images: Float32Array): number {
  const p = tf.tidy(() => tf.greater(logit(tf.tensor2d(images, [images.length / 784, 784])), 0).sum());
  const share = p.dataSync()[0]! / (images.length / 784);
  p.dispose();
  return share;
}

// The test split: true pairs.
const n = Number(a.n);
const test = domains('test', n, 0, 0);
const AtoB = translate('G_AB', test.A);
const BtoA = translate('G_BA', test.B);
const AtoBtoA = translate('G_BA', AtoB);
const BtoAtoB = translate('G_AB', BtoA);
const identity = l1(test.A, test.B);
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const r4 = (v: number) => Math.round(v * 10000) / 10000;
const result = {
  transform,
  n,
  cycleL1: { A: r4(l1(AtoBtoA, test.A)), B: r4(l1(BtoAtoB, test.B)) },
  pairL1: { AtoB: r4(l1(AtoB, test.B)), BtoA: r4(l1(BtoA, test.A)) },
  identityBaselineL1: r4(identity),
  digitKept: {
    AtoB: r3(digitKept(AtoB, test.labels, true)),
    BtoA: r3(digitKept(BtoA, test.labels, false)),
    AtoBtoA: r3(digitKept(AtoBtoA, test.labels, false)),
    BtoAtoB: r3(digitKept(BtoAtoB, test.labels, true)),
  },
  digitOnRealA: r3(digitKept(test.A, test.labels, false)),
  digitOnTrueB: r3(digitKept(test.B, test.labels, true)),
  domainClassifier: { realA: r3(1 - shareB(test.A)), realB: r3(shareB(test.B)) },
  translationsInTargetDomain: { AtoB: r3(shareB(AtoB)), BtoA: r3(1 - shareB(BtoA)) },
  seconds: Math.round((performance.now() - t0) / 1000),
  bars: {
    cycleL1: '≤ 0.05',
    pairL1: '≤ 0.06 and ≤ half the identity baseline',
    digitKept: '≥ 0.95',
    translationsInTargetDomain: '≥ 0.85',
  },
};
writeJson((a.out as string) ?? `${String(a.checkpoint).replace(/\/checkpoint\/?$/, '')}/eval.json`, result);

import * as tf from '@tensorflow/tfjs';
import { loadMnistNode, toFloatImages } from '../data/mnist-node';
import { classify, FEATURE_DIM, loadClassifier } from './classifier';
import type { Classifier } from './classifier';
import { featureStats, frechetFromStats } from './frechet';
import type { FeatureStats } from './frechet';

export { featureStats, frechetDistance, frechetFromStats, jacobiEigen, sqrtmPsd } from './frechet';
export type { FeatureStats } from './frechet';

/**
 * Scores for generated MNIST digits against real data, all through the project classifier:
 * Fréchet distance in its 128-d feature space, classifier confidence, class balance, and a
 * nearest-neighbour copy check against the training set. Images are N × 784 floats in [0, 1].
 */

function argmax10(probs: Float32Array, i: number): { cls: number; p: number } {
  let cls = 0;
  let p = probs[i * 10] ?? 0;
  for (let c = 1; c < 10; c++) {
    const q = probs[i * 10 + c] ?? 0;
    if (q > p) {
      p = q;
      cls = c;
    }
  }
  return { cls, p };
}

/** Share of rows whose top class probability is ≥ threshold. */
export function confidentShare(probs: Float32Array, threshold = 0.9): number {
  const n = probs.length / 10;
  let hits = 0;
  for (let i = 0; i < n; i++) if (argmax10(probs, i).p >= threshold) hits++;
  return n > 0 ? hits / n : 0;
}

/** Share of rows predicted as each digit 0-9 (sums to 1); ≈0.1 each for a balanced generator. */
export function classShares(probs: Float32Array): number[] {
  const n = probs.length / 10;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const { cls } = argmax10(probs, i);
    counts[cls] = (counts[cls] ?? 0) + 1;
  }
  return counts.map((c) => (n > 0 ? c / n : 0));
}

function chunkTensor(images: Uint8Array | Float32Array, start: number, n: number): tf.Tensor2D {
  if (images instanceof Float32Array)
    return tf.tensor2d(images.subarray(start * 784, (start + n) * 784), [n, 784]);
  return tf.tensor2d(toFloatImages(images, start, n), [n, 784]);
}

/**
 * L2 distance (784 pixels in [0, 1]) from each sample to its nearest training image, via
 * ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b in batched matMuls. Each training chunk is transposed once up front
 * because a matMul with a transposed operand is much slower on the wasm backend.
 */
export function nearestTrainDistances(
  samples: Float32Array,
  trainImages: Uint8Array | Float32Array,
  opts: { sampleBatch?: number; trainChunk?: number } = {},
): Float32Array {
  const sampleBatch = opts.sampleBatch ?? 500;
  const trainChunk = opts.trainChunk ?? 4000;
  const ns = samples.length / 784;
  const nt = trainImages.length / 784;
  const best = new Float32Array(ns).fill(Infinity);
  for (let t0 = 0; t0 < nt; t0 += trainChunk) {
    const nc = Math.min(trainChunk, nt - t0);
    const [trainT, trainSq] = tf.tidy(() => {
      const t = chunkTensor(trainImages, t0, nc);
      return [tf.transpose(t), tf.reshape(tf.sum(tf.square(t), 1), [1, nc])];
    });
    for (let s0 = 0; s0 < ns; s0 += sampleBatch) {
      const nb = Math.min(sampleBatch, ns - s0);
      const minSq = tf.tidy(() => {
        const s = chunkTensor(samples, s0, nb);
        const sSq = tf.sum(tf.square(s), 1, true);
        const d2 = tf.sub(tf.add(sSq, trainSq), tf.mul(tf.matMul(s, trainT), 2));
        return tf.min(d2, 1);
      });
      const vals = minSq.dataSync();
      minSq.dispose();
      for (let i = 0; i < nb; i++) best[s0 + i] = Math.min(best[s0 + i]!, vals[i]!);
    }
    trainT.dispose();
    trainSq.dispose();
  }
  // Round-off can make an exact copy's squared distance slightly negative.
  return best.map((v) => Math.sqrt(Math.max(0, v)));
}

/** Share of samples within `threshold` (L2, [0, 1] pixels) of some training image: memorisation. */
export function copyShare(
  samples: Float32Array,
  trainImages: Uint8Array | Float32Array,
  threshold = 1.25,
): number {
  const d = nearestTrainDistances(samples, trainImages);
  let hits = 0;
  for (const v of d) if (v < threshold) hits++;
  return d.length > 0 ? hits / d.length : 0;
}

/**
 * 5 × 5 box blur with zero padding ('same' size; MNIST's border is background, so zeros are what
 * an edge would hold anyway). A deliberately degraded copy of real digits: its FD to the real set
 * is the yardstick that makes FDs comparable (`fdBlurRatio` < 1 means better than blurred digits).
 */
export function blur5x5(images: Float32Array, batch = 1000): Float32Array {
  const n = images.length / 784;
  const out = new Float32Array(images.length);
  const kernel = tf.fill([5, 5, 1, 1], 1 / 25) as tf.Tensor4D;
  for (let s = 0; s < n; s += batch) {
    const nb = Math.min(batch, n - s);
    const y = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(s * 784, (s + nb) * 784), [nb, 28, 28, 1]);
      return tf.conv2d(x, kernel, 1, 'same');
    });
    out.set(y.dataSync(), s * 784);
    y.dispose();
  }
  kernel.dispose();
  return out;
}

export interface ScoreOptions {
  confidentThreshold?: number;
  copyThreshold?: number;
  /** Skips the nearest-neighbour pass over 60k training images (the slowest part). */
  skipCopyCheck?: boolean;
  classifier?: Classifier;
}

export interface SampleScore {
  count: number;
  /** FD of the samples to the 10k real test digits. */
  fd: number;
  /** FD of `count` real training digits to the test digits: what a perfect generator would get. */
  fdRealTrain: number;
  /** FD of `count` blurred test digits to the test digits. */
  fdBlur: number;
  /** fd / fdBlur: < 1 beats 5×5-blurred real digits. */
  fdBlurRatio: number;
  confidentShare: number;
  classShares: number[];
  /** null when skipped. */
  copyShare: number | null;
}

interface Reference {
  test: FeatureStats;
  byCount: Map<number, { fdRealTrain: number; fdBlur: number }>;
}
const references = new WeakMap<Classifier, Reference>();

function referenceFor(
  n: number,
  classifier: Classifier,
): { test: FeatureStats; fdRealTrain: number; fdBlur: number } {
  const opts = { classifier };
  let reference = references.get(classifier);
  if (!reference) {
    const testImages = toFloatImages(loadMnistNode('test').images);
    reference = { test: featureStats(classify(testImages, opts).features, FEATURE_DIM), byCount: new Map() };
    references.set(classifier, reference);
  }
  const { test, byCount } = reference;
  // FD is biased upward at small n, so the yardsticks use the same sample count as the samples.
  const m = Math.min(n, 10_000);
  let hit = byCount.get(m);
  if (!hit) {
    const real = toFloatImages(loadMnistNode('train').images, 0, m);
    const blurred = blur5x5(toFloatImages(loadMnistNode('test').images, 0, m));
    hit = {
      fdRealTrain: frechetFromStats(featureStats(classify(real, opts).features, FEATURE_DIM), test),
      fdBlur: frechetFromStats(featureStats(classify(blurred, opts).features, FEATURE_DIM), test),
    };
    byCount.set(m, hit);
  }
  return { test, ...hit };
}

/** Node-only: scores N × 784 generated digits in [0, 1] against MNIST (reference stats are cached). */
export function scoreSamples(samples: Float32Array, opts: ScoreOptions = {}): SampleScore {
  const count = samples.length / 784;
  if (!Number.isInteger(count) || count < 2) throw new Error(`scoreSamples: need N × 784 floats, N ≥ 2`);
  const classifier = opts.classifier ?? loadClassifier();
  const { probs, features } = classify(samples, { classifier });
  const ref = referenceFor(count, classifier);
  const fd = frechetFromStats(featureStats(features, FEATURE_DIM), ref.test);
  return {
    count,
    fd,
    fdRealTrain: ref.fdRealTrain,
    fdBlur: ref.fdBlur,
    fdBlurRatio: fd / ref.fdBlur,
    confidentShare: confidentShare(probs, opts.confidentThreshold ?? 0.9),
    classShares: classShares(probs),
    copyShare: opts.skipCopyCheck
      ? null
      : copyShare(samples, loadMnistNode('train').images, opts.copyThreshold ?? 1.25),
  };
}

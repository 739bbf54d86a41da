import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNode, toFloatImages } from '../data/mnist-node';
import { initNodeBackend } from '../node-backend';
import {
  CLASSIFIER_SHAPES,
  classify,
  decodeWeights,
  encodeWeights,
  FEATURE_DIM,
  forward,
  initClassifierWeights,
  loadClassifier,
  WEIGHT_NAMES,
} from './classifier';
import type { ClassifierWeights, WeightName, WeightsManifest } from './classifier';

describe('committed classifier', () => {
  it('runs on the wasm backend in Node', async () => {
    expect(await initNodeBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('ships small weights whose manifest matches the architecture', () => {
    const { manifest } = loadClassifier();
    const total = manifest.tensors.reduce((s, t) => s + t.length, 0);
    expect(total * 4).toBeLessThan(1_000_000);
    expect(manifest.testAccuracy).toBeGreaterThanOrEqual(0.985);
    for (const t of manifest.tensors) expect(t.shape).toEqual([...CLASSIFIER_SHAPES[t.name]]);
  });

  it('classifies the first 1,000 test digits with ≥ 98% accuracy', () => {
    const test = loadMnistNode('test');
    const n = 1000;
    const { probs, features, count } = classify(toFloatImages(test.images, 0, n), { batchSize: 256 });
    expect(count).toBe(n);
    expect(features.length).toBe(n * FEATURE_DIM);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++;
    }
    expect(correct / n).toBeGreaterThanOrEqual(0.98);
  });

  it('gives the same answer for a tensor input and for a Float32Array', () => {
    const images = toFloatImages(loadMnistNode('test').images, 0, 37);
    const fromArray = classify(images, { batchSize: 16 });
    const t = tf.tensor4d(images, [37, 28, 28, 1]);
    const fromTensor = classify(t);
    t.dispose();
    expect(Array.from(fromTensor.probs)).toEqual(Array.from(fromArray.probs));
  });

  it('does not leak tensors', () => {
    const images = toFloatImages(loadMnistNode('test').images, 0, 50);
    classify(images);
    const before = tf.memory().numTensors;
    classify(images, { batchSize: 7 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('weights file format', () => {
  it('round-trips through encode/decode and rejects a wrong shape', () => {
    const values = Object.fromEntries(
      WEIGHT_NAMES.map((n) => {
        const len = CLASSIFIER_SHAPES[n].reduce((a: number, b: number) => a * b, 1);
        return [n, Float32Array.from({ length: len }, (_, i) => Math.sin(i + n.length))];
      }),
    ) as Record<WeightName, Float32Array>;
    const { bin, tensors } = encodeWeights(values);
    const manifest: WeightsManifest = { format: 'float32-le', tensors, testAccuracy: 0, command: '' };
    const decoded = decodeWeights(manifest, bin);
    expect(Array.from(decoded.fc2B.dataSync())).toEqual(Array.from(values.fc2B));
    expect(Array.from(decoded.conv2W.dataSync())).toEqual(Array.from(values.conv2W));
    WEIGHT_NAMES.forEach((n) => decoded[n].dispose());
    const bad = {
      ...manifest,
      tensors: tensors.map((t) => (t.name === 'fc1W' ? { ...t, shape: [1, 2] } : t)),
    };
    expect(() => decodeWeights(bad, bin)).toThrow(/fc1W/);
  });
});

describe('training ops', () => {
  // The reference gradients come from TF.js autodiff of the plain ops, which needs the cpu
  // backend: wasm has no Conv2DBackpropFilter kernel (the reason the custom gradients exist).
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });
  afterAll(async () => {
    await initNodeBackend('wasm');
  });

  it('match the plain forward pass and its autodiff gradients', () => {
    const w = initClassifierWeights(42);
    // Random biases so ReLU/max-pool boundaries are exercised away from zero ties.
    for (const n of WEIGHT_NAMES)
      if (n.endsWith('B')) w[n] = tf.randomNormal(w[n].shape, 0, 0.1, 'float32', 9);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const probe = tf.randomNormal([3, 10], 0, 1, 'float32', 5);
    const grads = (trainable: boolean) =>
      tf.grads((...ws: tf.Tensor[]) => {
        const weights = Object.fromEntries(WEIGHT_NAMES.map((n, i) => [n, ws[i]])) as ClassifierWeights;
        return tf.sum(tf.mul(forward(weights, x, trainable).logits, probe));
      })(WEIGHT_NAMES.map((n) => w[n]));
    const plain = forward(w, x, false).logits.arraySync();
    const custom = forward(w, x, true).logits.arraySync();
    expect(custom.flat().map((v, i) => v - (plain.flat()[i] ?? NaN))).toSatisfy((d: number[]) =>
      d.every((v) => Math.abs(v) < 1e-4),
    );
    const gPlain = grads(false);
    const gCustom = grads(true);
    WEIGHT_NAMES.forEach((name, i) => {
      const a = (gPlain[i] as tf.Tensor).dataSync();
      const b = (gCustom[i] as tf.Tensor).dataSync();
      let scale = 1e-6;
      let err = 0;
      for (let k = 0; k < a.length; k++) {
        scale = Math.max(scale, Math.abs(a[k]!));
        err = Math.max(err, Math.abs(a[k]! - b[k]!));
      }
      expect(err / scale, name).toBeLessThan(1e-4);
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';

/**
 * The project's own MNIST classifier, used only for scoring generated digits (class confidence and a
 * 128-d feature space for Fréchet distances). Written with raw ops so the forward pass is a plain
 * function of a weights object: no tf.layers state, and the same weights file works anywhere.
 *
 * conv3x3(1→32, valid) → relu → maxpool2 → conv3x3(32→64, valid) → relu → maxpool2 →
 * flatten(5·5·64) → fc 128 → relu (= features) → fc 10 (= logits). ≈225k float32 parameters.
 */

export const CLASSIFIER_SHAPES = {
  conv1W: [3, 3, 1, 32],
  conv1B: [32],
  conv2W: [3, 3, 32, 64],
  conv2B: [64],
  fc1W: [5 * 5 * 64, 128],
  fc1B: [128],
  fc2W: [128, 10],
  fc2B: [10],
} as const;

export type WeightName = keyof typeof CLASSIFIER_SHAPES;
export const WEIGHT_NAMES = Object.keys(CLASSIFIER_SHAPES) as WeightName[];
export const FEATURE_DIM = 128;

export type ClassifierWeights = Record<WeightName, tf.Tensor>;

export interface WeightsManifest {
  format: 'float32-le';
  tensors: { name: WeightName; shape: number[]; offset: number; length: number }[];
  testAccuracy: number;
  command: string;
  [extra: string]: unknown;
}

/**
 * Valid 3×3 conv + bias with a hand-written gradient, for training on the wasm backend. That backend
 * has no Conv2DBackpropFilter kernel and its Conv2DBackpropInput is ~10× slower than its XNNPACK
 * conv2d, so both gradients are rewritten as forward convs: dW is the correlation of x with dy
 * (batch moved to the channel axis, dy used as a 26×26 or 11×11 filter; 2-3× faster than im2col +
 * matMul here), and dx is the "full" conv of dy with the flipped, in/out-swapped filter.
 * `needDx` false skips dx for the input layer.
 */
export function trainableConv3x3(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor, needDx: boolean): tf.Tensor4D {
  // customGrad disposes its inputs' wrappers after the forward pass: keep what the gradient needs
  // through save(), as TF.js requires.
  const op = tf.customGrad((...args) => {
    const [xIn, wIn, bIn, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const value = tf.add(tf.conv2d(xIn, wIn, 1, 'valid'), bIn) as tf.Tensor4D;
    save([xIn, wIn]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const xi = saved[0] as tf.Tensor4D;
      const wi = saved[1] as tf.Tensor4D;
      const g = dy as tf.Tensor4D;
      // [cin, H, W, N] ⊛ [OH, OW, N, cout] → [cin, 3, 3, cout]
      const xT = tf.transpose(xi, [3, 1, 2, 0]) as tf.Tensor4D;
      const gT = tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
      const dW = tf.transpose(tf.conv2d(xT, gT, 1, 'valid'), [1, 2, 0, 3]);
      const db = tf.sum(g, [0, 1, 2]);
      if (!needDx) return [tf.zerosLike(xi), dW, db];
      const flipped = tf.transpose(tf.reverse(wi, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const padded = tf.pad(g, [
        [0, 0],
        [2, 2],
        [2, 2],
        [0, 0],
      ]);
      return [tf.conv2d(padded, flipped, 1, 'valid'), dW, db];
    };
    return { value, gradFunc };
  });
  return op(x, w, b) as tf.Tensor4D;
}

/** Nearest-neighbour 2× upsampling (out[i] = in[floor(i / 2)]); a 6-d tile is ~30× slower on wasm. */
function upsample2(t: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(t, [2 * t.shape[1], 2 * t.shape[2]]);
}

/**
 * 2×2/2 valid max-pool whose gradient is mask·upsample(dy): the wasm MaxPoolGrad kernel costs more
 * than the rest of the layer. Ties route the gradient to every tied cell; after a ReLU the only
 * likely ties are zeros, whose gradient the ReLU blocks anyway.
 */
export function trainableMaxPool2(x: tf.Tensor4D): tf.Tensor4D {
  const op = tf.customGrad((...args) => {
    const [xIn, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const out = tf.maxPool(xIn, 2, 2, 'valid');
    save([xIn, out]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor => {
      const xi = saved[0] as tf.Tensor4D;
      const value = saved[1] as tf.Tensor4D;
      const [n, h, w, c] = xi.shape;
      const eh = 2 * Math.floor(h / 2);
      const ew = 2 * Math.floor(w / 2);
      const crop = tf.slice(xi, [0, 0, 0, 0], [n, eh, ew, c]);
      const mask = tf.cast(tf.equal(crop, upsample2(value)), 'float32');
      const dCrop = tf.mul(mask, upsample2(dy as tf.Tensor4D));
      return tf.pad(dCrop, [
        [0, 0],
        [0, h - eh],
        [0, w - ew],
        [0, 0],
      ]);
    };
    return { value: out, gradFunc };
  });
  return op(x) as tf.Tensor4D;
}

/** x·W + b whose gradient transposes explicitly: wasm's matMul with a transposed operand is ~10× slower. */
export function trainableDense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args) => {
    const [xIn, wIn, bIn, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, wIn]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const g = dy as tf.Tensor2D;
      const dx = tf.matMul(g, tf.transpose(saved[1] as tf.Tensor2D));
      const dW = tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), g);
      return [dx, dW, tf.sum(g, 0)];
    };
    return { value: tf.add(tf.matMul(xIn, wIn), bIn) as tf.Tensor2D, gradFunc };
  });
  return op(x, w, b) as tf.Tensor2D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, trainable: boolean): tf.Tensor2D {
  if (trainable) return trainableDense(x, w as tf.Tensor2D, b as tf.Tensor1D);
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}

function conv3x3(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor, trainable: boolean, needDx: boolean) {
  if (trainable) return trainableConv3x3(x, w, b, needDx);
  return tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid'), b) as tf.Tensor4D;
}

function pool(x: tf.Tensor4D, trainable: boolean): tf.Tensor4D {
  return trainable ? trainableMaxPool2(x) : tf.maxPool(x, 2, 2, 'valid');
}

export interface ForwardOut {
  logits: tf.Tensor2D;
  features: tf.Tensor2D;
}

/**
 * x: [N, 28, 28, 1] in [0, 1]. `trainable` swaps in the custom-gradient conv and pool (same values,
 * see trainableConv3x3); inference uses the plain kernels.
 */
export function forward(w: ClassifierWeights, x: tf.Tensor4D, trainable = false): ForwardOut {
  let h = tf.relu(conv3x3(x, w.conv1W, w.conv1B, trainable, false));
  h = pool(h, trainable);
  h = tf.relu(conv3x3(h, w.conv2W, w.conv2B, trainable, true));
  h = pool(h, trainable);
  const flat = tf.reshape(h, [x.shape[0], 5 * 5 * 64]) as tf.Tensor2D;
  const features = tf.relu(dense(flat, w.fc1W, w.fc1B, trainable));
  const logits = dense(features, w.fc2W, w.fc2B, trainable);
  return { logits, features };
}

/** He-normal init with a fixed seed per tensor so training is reproducible. */
export function initClassifierWeights(seed: number): ClassifierWeights {
  const out = {} as ClassifierWeights;
  WEIGHT_NAMES.forEach((name, i) => {
    const shape = [...CLASSIFIER_SHAPES[name]];
    if (name.endsWith('B')) out[name] = tf.zeros(shape);
    else {
      const fanIn = shape.slice(0, -1).reduce((a, d) => a * d, 1);
      out[name] = tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed + i);
    }
  });
  return out;
}

export function encodeWeights(values: Record<WeightName, Float32Array>): {
  bin: Uint8Array;
  tensors: WeightsManifest['tensors'];
} {
  const tensors: WeightsManifest['tensors'] = [];
  let offset = 0;
  for (const name of WEIGHT_NAMES) {
    const length = values[name].length;
    tensors.push({ name, shape: [...CLASSIFIER_SHAPES[name]], offset, length });
    offset += length * 4;
  }
  const bin = new Uint8Array(offset);
  const view = new DataView(bin.buffer);
  for (const t of tensors) {
    const v = values[t.name];
    for (let i = 0; i < v.length; i++) view.setFloat32(t.offset + 4 * i, v[i] ?? 0, true);
  }
  return { bin, tensors };
}

export function decodeWeights(manifest: WeightsManifest, bin: Uint8Array): ClassifierWeights {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const out = {} as ClassifierWeights;
  for (const name of WEIGHT_NAMES) {
    const t = manifest.tensors.find((e) => e.name === name);
    const expected = CLASSIFIER_SHAPES[name];
    if (!t || t.shape.join() !== expected.join()) {
      throw new Error(`classifier weights: '${name}' missing or not shaped [${expected.join(', ')}]`);
    }
    if (t.offset + t.length * 4 > bin.byteLength) throw new Error(`classifier weights: '${name}' truncated`);
    const v = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++) v[i] = view.getFloat32(t.offset + 4 * i, true);
    out[name] = tf.tensor(v, [...expected]);
  }
  return out;
}

export const WEIGHTS_BIN_URL = new URL('./classifier-weights.bin', import.meta.url);
export const WEIGHTS_JSON_URL = new URL('./classifier-weights.json', import.meta.url);

export interface Classifier {
  weights: ClassifierWeights;
  manifest: WeightsManifest;
}

let loaded: Classifier | undefined;

/** Node-only: reads the committed weights next to this file (cached; tensors live on the backend). */
export function loadClassifier(): Classifier {
  if (loaded) return loaded;
  const manifest = JSON.parse(readFileSync(WEIGHTS_JSON_URL, 'utf8')) as WeightsManifest;
  const weights = decodeWeights(manifest, readFileSync(WEIGHTS_BIN_URL));
  loaded = { weights, manifest };
  return loaded;
}

export interface ClassifyResult {
  count: number;
  /** count × 10 softmax probabilities. */
  probs: Float32Array;
  /** count × FEATURE_DIM penultimate activations (post-ReLU). */
  features: Float32Array;
}

/**
 * images: N×784 floats or a tensor reshapeable to [N, 28, 28, 1], pixels in [0, 1] (0 = background).
 * Runs in batches so scoring tens of thousands of digits never holds more than one batch of
 * activations.
 */
export function classify(
  images: Float32Array | tf.Tensor,
  opts: { batchSize?: number; classifier?: Classifier } = {},
): ClassifyResult {
  const batchSize = opts.batchSize ?? 500;
  const { weights } = opts.classifier ?? loadClassifier();
  const count = images instanceof Float32Array ? images.length / 784 : (images.shape[0] ?? 0);
  if (!Number.isInteger(count)) throw new Error(`classify: ${count * 784} floats is not N × 784`);
  const probs = new Float32Array(count * 10);
  const features = new Float32Array(count * FEATURE_DIM);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [p, f] = tf.tidy(() => {
      const x =
        images instanceof Float32Array
          ? tf.tensor4d(images.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1])
          : tf.cast(tf.reshape(tf.slice(images, start, n), [n, 28, 28, 1]), 'float32');
      const out = forward(weights, x as tf.Tensor4D);
      return [tf.softmax(out.logits), out.features];
    });
    probs.set(p.dataSync(), start * 10);
    features.set(f.dataSync(), start * FEATURE_DIM);
    p.dispose();
    f.dispose();
  }
  return { count, probs, features };
}

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './node-backend';
import { registerWasmKernels } from './wasm-kernels';

// Every check computes the same thing on 'cpu' (the reference) and on 'wasm' with our kernels, from the same
// numbers: tensors are rebuilt from plain arrays on each backend, because a tensor belongs to the backend
// that was active when it was made.

type Backend = 'cpu' | 'wasm';

/** Deterministic data in [-1, 1) that does not depend on a backend's random generator. */
function numbers(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function input(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    numbers(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** Runs f on each backend and returns its outputs' values, cpu first. */
async function onBoth(f: () => tf.Tensor[]): Promise<Record<Backend, Float32Array[]>> {
  const out = {} as Record<Backend, Float32Array[]>;
  for (const b of ['cpu', 'wasm'] as const) {
    await tf.setBackend(b);
    const ts = tf.tidy(f);
    out[b] = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(ts);
  }
  return out;
}

/** max |got − want| ≤ rel · max |want| for each output. */
function expectClose(r: Record<Backend, Float32Array[]>, labels: string[], rel = 1e-4): void {
  r.cpu.forEach((want, i) => {
    const got = r.wasm[i]!;
    expect(got.length, labels[i]).toBe(want.length);
    let scale = 0;
    let err = 0;
    for (let j = 0; j < want.length; j++) {
      scale = Math.max(scale, Math.abs(want[j]!));
      err = Math.max(err, Math.abs(got[j]! - want[j]!));
    }
    expect(err, `${labels[i]}: max error ${err} vs scale ${scale}`).toBeLessThanOrEqual(
      rel * Math.max(scale, 1e-6),
    );
  });
}

beforeAll(async () => {
  await initNodeBackend('cpu');
  await initNodeBackend('wasm');
  registerWasmKernels();
  registerWasmKernels(); // idempotent
});

type Pad =
  'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  b: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  s: number | [number, number];
  pad: Pad;
}

// batch 1–4, sizes 7–28, channels 1–16, kernels 1/3/4/7, strides 1/2, 'same'/'valid' (+ number, explicit,
// and an uneven stride for the general interleave).
const CONV_CASES: ConvCase[] = [
  { b: 1, h: 7, w: 7, ci: 1, co: 1, k: 1, s: 1, pad: 'valid' },
  { b: 2, h: 8, w: 8, ci: 3, co: 4, k: 3, s: 1, pad: 'same' },
  { b: 3, h: 9, w: 9, ci: 2, co: 5, k: 3, s: 2, pad: 'same' },
  { b: 2, h: 10, w: 10, ci: 4, co: 3, k: 3, s: 2, pad: 'valid' },
  { b: 4, h: 28, w: 28, ci: 1, co: 8, k: 4, s: 2, pad: 'same' },
  { b: 2, h: 14, w: 14, ci: 16, co: 16, k: 4, s: 2, pad: 'same' },
  { b: 1, h: 7, w: 7, ci: 16, co: 8, k: 4, s: 2, pad: 'same' },
  { b: 3, h: 11, w: 11, ci: 5, co: 6, k: 4, s: 1, pad: 'valid' },
  { b: 2, h: 13, w: 13, ci: 3, co: 2, k: 4, s: 2, pad: 'valid' },
  { b: 2, h: 12, w: 12, ci: 8, co: 4, k: 7, s: 1, pad: 'same' },
  { b: 1, h: 15, w: 15, ci: 2, co: 3, k: 7, s: 2, pad: 'same' },
  { b: 4, h: 16, w: 16, ci: 4, co: 4, k: 7, s: 2, pad: 'valid' },
  { b: 2, h: 9, w: 9, ci: 3, co: 4, k: 1, s: 2, pad: 'same' },
  { b: 1, h: 20, w: 20, ci: 6, co: 1, k: 3, s: 1, pad: 'valid' },
  { b: 2, h: 10, w: 9, ci: 3, co: 2, k: 3, s: 2, pad: 1 },
  {
    b: 2,
    h: 9,
    w: 10,
    ci: 2,
    co: 3,
    k: 4,
    s: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { b: 2, h: 8, w: 12, ci: 3, co: 2, k: 3, s: [1, 2], pad: 'same' },
];

const name = (c: ConvCase) =>
  `b${c.b} ${c.h}x${c.w}x${c.ci}→${c.co} k${c.k} s${JSON.stringify(c.s)} ${JSON.stringify(c.pad)}`;

describe('conv gradients on wasm match cpu', () => {
  it.each(CONV_CASES.map((c) => [name(c), c] as const))('%s', async (_, c) => {
    const xShape: [number, number, number, number] = [c.b, c.h, c.w, c.ci];
    const fShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
    const yShape = tf.tidy(
      () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, c.s, c.pad).shape,
    );
    const r = await onBoth(() => {
      const x = input(xShape, 1) as tf.Tensor4D;
      const f = input(fShape, 2) as tf.Tensor4D;
      const dy = input(yShape, 3);
      const t = input(yShape, 4) as tf.Tensor4D;
      const dt = input(xShape, 5);
      // Weighted sums, so dy is a general tensor and not all ones.
      const conv = tf.grads((a, b) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), dy)),
      );
      const tconv = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2dTranspose(
          a as tf.Tensor4D,
          b as tf.Tensor4D,
          xShape as [number, number, number, number],
          c.s,
          c.pad,
        );
      const tgrads = tf.grads((a, b) => tf.sum(tf.mul(tconv(a, b), dt)));
      return [...conv([x, f]), tconv(t, f), ...tgrads([t, f])];
    });
    expectClose(r, [
      'conv2d dx',
      'conv2d dW',
      'conv2dTranspose y',
      'conv2dTranspose dx',
      'conv2dTranspose dW',
    ]);
  });

  it('fused.conv2d (relu, bias) gradients match cpu', async () => {
    const r = await onBoth(() => {
      const x = input([3, 12, 12, 4], 6) as tf.Tensor4D;
      const f = input([3, 3, 4, 6], 7) as tf.Tensor4D;
      const bias = input([6], 8);
      const g = tf.grads((a, b, c) =>
        tf.sum(
          tf.square(
            tf.fused.conv2d({
              x: a as tf.Tensor4D,
              filter: b as tf.Tensor4D,
              bias: c,
              strides: 2,
              pad: 'same',
              activation: 'relu',
            }),
          ),
        ),
      );
      return g([x, f, bias]);
    });
    expectClose(r, ['dx', 'dW', 'dbias']);
  });

  it('frees every intermediate (no wasm heap growth)', async () => {
    await tf.setBackend('wasm');
    const step = () =>
      tf.tidy(() => {
        const x = input([2, 9, 9, 3], 1) as tf.Tensor4D;
        const f = input([3, 3, 3, 4], 2) as tf.Tensor4D;
        const t = input([2, 5, 5, 4], 3) as tf.Tensor4D;
        const g = tf.grads((a, b) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))),
        );
        const e = tf.grad((v) => tf.sum(tf.gather(v, tf.tensor1d([0, 2, 2], 'int32'))))(input([3, 2], 4));
        return [
          ...g([x, f]),
          tf.conv2dTranspose(t, f, [2, 9, 9, 3], 2, 'valid'),
          tf.matMul(x.reshape([18, 27]), x.reshape([18, 27]), true, false),
          tf.tile(f, [1, 2, 1, 3]),
          e,
        ];
      });
    tf.dispose(step()); // first call may allocate lasting state
    const before = tf.engine().backend.numDataIds();
    tf.dispose(step());
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('rejects what it does not implement with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 6, 6, 2]);
    const dy = tf.zeros([1, 6, 6, 3]);
    const run = (attrs: Record<string, unknown>) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'same',
        filterShape: [3, 3, 2, 3],
        ...attrs,
      } as never);
    expect(() => run({ dataFormat: 'NCHW' })).toThrow(/only dataFormat 'NHWC'/);
    expect(() => run({ dilations: 2 })).toThrow(/only dilations 1/);
    tf.dispose([x, dy]);
  });
});

describe('other kernels replaced on wasm match cpu', () => {
  it('matMul with transposes, batched and fused', async () => {
    const r = await onBoth(() => {
      const a = input([5, 7], 1);
      const b = input([7, 3], 2);
      const out: tf.Tensor[] = [];
      out.push(tf.matMul(tf.transpose(a), b, true, false));
      out.push(tf.matMul(a, tf.transpose(b), false, true));
      out.push(tf.matMul(tf.transpose(a), tf.transpose(b), true, true));
      out.push(tf.matMul(input([2, 4, 6], 3), input([1, 4, 5], 4), true, false));
      out.push(tf.matMul(input([1, 6, 4], 3), input([2, 5, 4], 4), false, true));
      // Few rows, many columns: computed as (op(B)^T · op(A)^T)^T.
      out.push(tf.matMul(input([2, 8], 5), input([30, 8], 6), false, true));
      out.push(tf.matMul(input([8, 2], 5), input([30, 8], 6), true, true));
      out.push(tf.matMul(input([1, 3, 8], 5), input([1, 40, 8], 6), false, true));
      const bias = input([3], 5);
      out.push(tf.fused.matMul({ a: tf.transpose(a), b, transposeA: true, bias, activation: 'relu' }));
      out.push(tf.fused.matMul({ a, b: tf.transpose(b), transposeB: true, bias, activation: 'linear' }));
      const g = tf.grads((x, w, c) =>
        tf.sum(tf.square(tf.fused.matMul({ a: x, b: w, bias: c, activation: 'relu' }))),
      );
      return [...out, ...g([a, b, bias])];
    });
    expectClose(r, [
      'tA',
      'tB',
      'tAtB',
      'batched tA',
      'batched tB',
      'fused tA',
      'fused tB',
      'dx',
      'dw',
      'db',
    ]);
  });

  it('tile, broadcastTo and the batchNorm gradient', async () => {
    const r = await onBoth(() => {
      const x = input([2, 3, 4], 1);
      const out = [
        tf.tile(x, [2, 1, 3]),
        tf.tile(x, [1, 1, 1]),
        tf.tile(input([1, 1, 1, 5], 2), [3, 4, 2, 1]),
        tf.tile(input([2, 1, 2, 1, 2, 1], 3), [1, 2, 1, 2, 1, 2]), // too many axes: stock kernel
        tf.cast(tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [2, 3]), 'float32'),
        tf.broadcastTo(input([3, 1], 4), [2, 3, 5]),
      ];
      const bn = tf.grads((v, g, b) => {
        const { mean, variance } = tf.moments(v, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(v, mean, variance, b, g, 1e-3), input([4, 5, 5, 6], 6)));
      });
      return [...out, ...bn([input([4, 5, 5, 6], 5), input([6], 7), input([6], 8)])];
    });
    expectClose(
      r,
      ['tile', 'tile ×1', 'tile 4d', 'tile 6d', 'tile int32', 'broadcastTo', 'dx', 'dγ', 'dβ'],
      5e-4,
    );
  });

  it('gather gradient and unsortedSegmentSum (out-of-range ids dropped)', async () => {
    const r = await onBoth(() => {
      const e = input([6, 4], 1);
      const ids = tf.tensor1d([1, 3, 3, 5, 0, 1, 1], 'int32');
      const g = tf.grad((t) => tf.sum(tf.mul(tf.gather(t, ids), input([7, 4], 2))))(e);
      const seg = tf.unsortedSegmentSum(input([5, 2, 3], 3), tf.tensor1d([2, -1, 0, 2, 7], 'int32'), 4);
      return [g, seg];
    });
    expectClose(r, ['gather grad', 'unsortedSegmentSum']);
  });
});

describe('training on wasm matches cpu', () => {
  it('a 2-layer conv autoencoder: 3 Adam steps give the same losses', async () => {
    const losses: Record<Backend, number[]> = { cpu: [], wasm: [] };
    for (const b of ['cpu', 'wasm'] as const) {
      await tf.setBackend(b);
      const x = input([4, 14, 14, 1], 1);
      const w1 = tf.variable(tf.mul(input([4, 4, 1, 8], 2), 0.3));
      const b1 = tf.variable(tf.zeros([8]));
      const w2 = tf.variable(tf.mul(input([4, 4, 1, 8], 3), 0.3));
      const opt = tf.train.adam(1e-2);
      for (let step = 0; step < 3; step++) {
        const loss = opt.minimize(() => {
          const h = tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w1 as tf.Tensor4D,
            bias: b1,
            strides: 2,
            pad: 'same',
            activation: 'relu',
          });
          const y = tf.conv2dTranspose(tf.leakyRelu(h, 0.2), w2 as tf.Tensor4D, [4, 14, 14, 1], 2, 'same');
          return tf.mean(tf.square(tf.sub(tf.tanh(y), x)));
        }, true)!;
        losses[b].push((await loss.data())[0]!);
        loss.dispose();
      }
      tf.dispose([x, w1, b1, w2]);
      opt.dispose();
    }
    for (let i = 0; i < 3; i++) {
      expect(
        Math.abs(losses.wasm[i]! - losses.cpu[i]!),
        `step ${i}: ${losses.wasm[i]} vs ${losses.cpu[i]}`,
      ).toBeLessThanOrEqual(1e-4 * Math.abs(losses.cpu[i]!));
    }
    expect(losses.wasm[2]).toBeLessThan(losses.wasm[0]!);
  });
});

/**
 * Probe: runs tf.variableGrads through each op our layers use, on the wasm backend, and lists what throws,
 * how far the gradients are from the cpu backend's, and which kernels dominate the backward pass.
 *
 *   npx tsx bench/wasm-grad-probe.ts          # wasm as shipped by TF.js
 *   npx tsx bench/wasm-grad-probe.ts --fix    # with registerWasmKernels()
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/runtime/node-backend';
import { registerWasmKernels } from '../src/runtime/wasm-kernels';

type Loss = (v: Record<string, tf.Variable>) => tf.Scalar;
interface Case {
  name: string;
  /** Shapes of the trainable inputs; data is seeded so both backends see the same numbers. */
  vars: Record<string, number[]>;
  loss: Loss;
  /** Shown next to the result, for known differences that are not wasm's fault. */
  note?: string;
}

const B = 16;
const sq = (t: tf.Tensor): tf.Scalar => tf.mean(tf.square(t));

const CASES: Case[] = [
  {
    name: 'fused.matMul relu',
    vars: { x: [B, 256], w: [256, 128], b: [128] },
    loss: (v) => sq(tf.fused.matMul({ a: v.x!, b: v.w!, bias: v.b!, activation: 'relu' })),
  },
  {
    name: 'fused.matMul linear',
    vars: { x: [B, 256], w: [256, 128], b: [128] },
    loss: (v) => sq(tf.fused.matMul({ a: v.x!, b: v.w!, bias: v.b!, activation: 'linear' })),
  },
  {
    name: 'fused.conv2d relu same',
    vars: { x: [B, 14, 14, 32], w: [3, 3, 32, 32], b: [32] },
    loss: (v) =>
      sq(
        tf.fused.conv2d({
          x: v.x! as tf.Tensor4D,
          filter: v.w! as tf.Tensor4D,
          bias: v.b!,
          strides: 1,
          pad: 'same',
          activation: 'relu',
        }),
      ),
  },
  {
    name: 'fused.conv2d linear same s2',
    vars: { x: [B, 14, 14, 32], w: [4, 4, 32, 32], b: [32] },
    loss: (v) =>
      sq(
        tf.fused.conv2d({
          x: v.x! as tf.Tensor4D,
          filter: v.w! as tf.Tensor4D,
          bias: v.b!,
          strides: 2,
          pad: 'same',
          activation: 'linear',
        }),
      ),
  },
  {
    name: 'conv2d valid',
    vars: { x: [B, 14, 14, 32], w: [3, 3, 32, 32] },
    loss: (v) => sq(tf.conv2d(v.x! as tf.Tensor4D, v.w! as tf.Tensor4D, 1, 'valid')),
  },
  {
    name: 'conv2dTranspose k4 s2',
    vars: { x: [B, 7, 7, 64], w: [4, 4, 32, 64] },
    loss: (v) => sq(tf.conv2dTranspose(v.x! as tf.Tensor4D, v.w! as tf.Tensor4D, [B, 14, 14, 32], 2, 'same')),
  },
  {
    name: 'conv2dTranspose k3 s2',
    vars: { x: [B, 7, 7, 64], w: [3, 3, 32, 64] },
    loss: (v) => sq(tf.conv2dTranspose(v.x! as tf.Tensor4D, v.w! as tf.Tensor4D, [B, 14, 14, 32], 2, 'same')),
  },
  {
    name: 'moments + batchNorm',
    vars: { x: [B, 8, 8, 32], g: [32], b: [32] },
    loss: (v) => {
      const { mean, variance } = tf.moments(v.x!, [0, 1, 2]);
      return sq(tf.batchNorm(v.x!, mean, variance, v.b!, v.g!, 1e-5));
    },
  },
  { name: 'leakyRelu', vars: { x: [B, 512] }, loss: (v) => sq(tf.leakyRelu(v.x!, 0.2)) },
  { name: 'elu', vars: { x: [B, 512] }, loss: (v) => sq(tf.elu(v.x!)) },
  { name: 'tanh', vars: { x: [B, 512] }, loss: (v) => sq(tf.tanh(v.x!)) },
  { name: 'sigmoid', vars: { x: [B, 512] }, loss: (v) => sq(tf.sigmoid(v.x!)) },
  { name: 'softplus', vars: { x: [B, 512] }, loss: (v) => sq(tf.softplus(v.x!)) },
  { name: 'logSoftmax', vars: { x: [B, 10] }, loss: (v) => sq(tf.logSoftmax(v.x!)) },
  {
    name: 'split/concat/reshape',
    vars: { x: [B, 64] },
    loss: (v) => {
      const [a, b] = tf.split(v.x!, [24, 40], 1);
      return sq(tf.reshape(tf.concat([tf.mul(b!, 2), a!], 1), [B, 8, 8]));
    },
  },
  {
    name: 'gather',
    vars: { e: [10, 32] },
    loss: (v) => sq(tf.gather(v.e!, tf.tensor1d([1, 3, 3, 9, 0, 1], 'int32'))),
  },
  {
    name: 'resizeNearestNeighbor',
    // tfjs-backend-cpu 4.22 ResizeNearestNeighborGrad offsets dy by the images' batch stride, so for
    // batch > 1 the cpu reference is wrong; wasm matches a naive loop.
    note: 'cpu reference wrong for batch > 1',
    vars: { x: [B, 7, 7, 16] },
    loss: (v) => sq(tf.image.resizeNearestNeighbor(v.x! as tf.Tensor4D, [14, 14])),
  },
  {
    name: 'customGrad',
    vars: { x: [B, 64] },
    loss: (v) => {
      const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const x = args[0] as tf.Tensor;
        (args[1] as tf.GradSaveFunc)([x]);
        return {
          value: tf.square(x),
          gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
            tf.mul(dy as tf.Tensor, tf.mul(saved[0]!, 2)),
        };
      });
      return sq(f(v.x!) as tf.Tensor);
    },
  },
];

function makeVars(c: Case): Record<string, tf.Variable> {
  let seed = 1;
  const out: Record<string, tf.Variable> = {};
  for (const [k, shape] of Object.entries(c.vars))
    out[k] = tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed++));
  return out;
}

async function grads(c: Case): Promise<Record<string, Float32Array>> {
  const vars = makeVars(c);
  const { grads } = tf.variableGrads(() => c.loss(vars), Object.values(vars));
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = (await grads[v.name]!.data()) as Float32Array;
  tf.dispose([...Object.values(vars), ...Object.values(grads)]);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median ms of forward alone and of forward + backward, plus the slowest kernels of one backward. */
async function timing(c: Case): Promise<{ fwd: number; grad: number; top: string }> {
  const vars = makeVars(c);
  const fw: number[] = [];
  const gr: number[] = [];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    const l = c.loss(vars);
    await l.data();
    fw.push(performance.now() - t);
    l.dispose();
    t = performance.now();
    const { value, grads } = tf.variableGrads(() => c.loss(vars), Object.values(vars));
    await Promise.all(Object.values(grads).map((g) => g.data()));
    gr.push(performance.now() - t);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const prof = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => c.loss(vars), Object.values(vars));
    tf.dispose([value, ...Object.values(grads)]);
  });
  const byName = new Map<string, number>();
  for (const k of prof.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const top = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([n, ms]) => `${n} ${ms.toFixed(2)}`)
    .join(', ');
  tf.dispose(Object.values(vars));
  return { fwd: median(fw), grad: median(gr), top };
}

const fix = process.argv.includes('--fix');
await initNodeBackend('cpu');
const ref: Record<string, Record<string, Float32Array>> = {};
for (const c of CASES) ref[c.name] = await grads(c);
await initNodeBackend('wasm');
if (fix) registerWasmKernels();
console.log(`wasm${fix ? ' + registerWasmKernels()' : ' as shipped'}; times in ms (median of 7)`);
console.log('case'.padEnd(30), 'result'.padEnd(12), 'fwd'.padStart(7), 'fwd+bwd'.padStart(8), ' top kernels');
for (const c of CASES) {
  try {
    const g = await grads(c);
    let err = 0;
    for (const [k, want] of Object.entries(ref[c.name]!)) {
      const got = g[k]!;
      const scale = Math.max(1e-6, ...Array.from(want, Math.abs));
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!) / scale);
    }
    const t = await timing(c);
    const res = `ok ${err.toExponential(0)}`;
    console.log(
      c.name.padEnd(30),
      res.padEnd(12),
      t.fwd.toFixed(2).padStart(7),
      t.grad.toFixed(2).padStart(8),
      '',
      t.top,
      c.note ? `(${c.note})` : '',
    );
  } catch (e) {
    console.log(c.name.padEnd(30), 'THROWS', (e as Error).message.split('\n')[0]);
  }
}

/**
 * Times one training step (forward + backward + Adam) of DCGAN/InfoGAN-like conv nets, batch 64, 28×28×1:
 *   D: conv 4×4 s2 64, lrelu → conv 4×4 s2 128, BN, lrelu → dense 1024, BN, lrelu → dense 1
 *   G: dense 1024, BN, relu → dense 7·7·128, BN, relu → convT 4×4 s2 64, BN, relu → convT 4×4 s2 1, tanh
 * on cpu, on wasm with only the missing kernels added (stock Conv2DBackpropInput, BatchMatMul, Tile), and on
 * wasm with everything registerWasmKernels() does.
 *
 *   npx tsx bench/conv-grad.ts [--runs 7] [--cpu-runs 1]     (cpu takes about 1.5 min a step)
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/runtime/node-backend';
import { registerWasmKernels } from '../src/runtime/wasm-kernels';

const B = 64;
const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 7);
const CPU_RUNS = arg('--cpu-runs', 1);

type Vars = Record<string, tf.Variable>;
interface Model {
  name: string;
  input: number[];
  shapes: Record<string, number[]>;
  loss: (v: Vars, input: tf.Tensor) => tf.Scalar;
}

const lrelu = (t: tf.Tensor) => tf.leakyRelu(t, 0.2);
function bn(t: tf.Tensor, v: Vars, key: string): tf.Tensor {
  const { mean, variance } = tf.moments(t, t.rank === 4 ? [0, 1, 2] : [0]);
  return tf.batchNorm(t, mean, variance, v[`${key}b`]!, v[`${key}g`]!, 1e-5);
}
const conv = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) =>
  tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: 2, pad: 'same' });
const dense = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) =>
  tf.fused.matMul({ a: x as tf.Tensor2D, b: w, bias: b });
const bce = (logits: tf.Tensor, label: number) =>
  tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;

const MODELS: Model[] = [
  {
    name: 'discriminator',
    input: [B, 28, 28, 1],
    shapes: {
      w1: [4, 4, 1, 64],
      b1: [64],
      w2: [4, 4, 64, 128],
      b2: [128],
      n2g: [128],
      n2b: [128],
      w3: [7 * 7 * 128, 1024],
      b3: [1024],
      n3g: [1024],
      n3b: [1024],
      w4: [1024, 1],
      b4: [1],
    },
    loss: (v, x) => {
      const h1 = lrelu(conv(x, v.w1!, v.b1!));
      const h2 = lrelu(bn(conv(h1, v.w2!, v.b2!), v, 'n2'));
      const h3 = lrelu(bn(dense(tf.reshape(h2, [B, -1]), v.w3!, v.b3!), v, 'n3'));
      return bce(dense(h3, v.w4!, v.b4!), 1);
    },
  },
  {
    name: 'generator',
    input: [B, 74],
    shapes: {
      w1: [74, 1024],
      b1: [1024],
      n1g: [1024],
      n1b: [1024],
      w2: [1024, 7 * 7 * 128],
      b2: [7 * 7 * 128],
      n2g: [128],
      n2b: [128],
      w3: [4, 4, 64, 128],
      n3g: [64],
      n3b: [64],
      w4: [4, 4, 1, 64],
    },
    loss: (v, z) => {
      const h1 = tf.relu(bn(dense(z, v.w1!, v.b1!), v, 'n1'));
      const h2 = tf.relu(bn(tf.reshape(dense(h1, v.w2!, v.b2!), [B, 7, 7, 128]), v, 'n2'));
      const h3 = tf.relu(
        bn(tf.conv2dTranspose(h2 as tf.Tensor4D, v.w3! as tf.Tensor4D, [B, 14, 14, 64], 2, 'same'), v, 'n3'),
      );
      const img = tf.tanh(
        tf.conv2dTranspose(h3 as tf.Tensor4D, v.w4! as tf.Tensor4D, [B, 28, 28, 1], 2, 'same'),
      );
      // Stands in for D(G(z)): a fixed linear read-out of the image.
      return bce(tf.sum(tf.mul(img, 0.01), [1, 2, 3]), 1);
    },
  },
];

function makeVars(m: Model): Vars {
  let seed = 10;
  const v: Vars = {};
  for (const [k, shape] of Object.entries(m.shapes)) {
    const init =
      k.endsWith('g') && k.startsWith('n')
        ? tf.ones(shape)
        : tf.randomNormal(shape, 0, 0.02, 'float32', seed++);
    v[k] = tf.variable(init);
  }
  return v;
}

/**
 * Median ms of `runs` Adam steps after one warm-up step (timed as 'first'); the warm-up's loss is the same
 * computation on every backend, so it doubles as an agreement check.
 */
async function time(m: Model, runs: number): Promise<{ first: number; median: number; loss: number }> {
  const v = makeVars(m);
  const input = tf.randomUniform(m.input, -1, 1, 'float32', 1);
  const opt = tf.train.adam(2e-4, 0.5);
  const step = async () => {
    const t0 = performance.now();
    const l = opt.minimize(() => m.loss(v, input), true)!;
    const loss = (await l.data())[0]!;
    l.dispose();
    return { ms: performance.now() - t0, loss };
  };
  const first = await step();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await step()).ms);
  tf.dispose([input, ...Object.values(v)]);
  opt.dispose();
  ms.sort((a, b) => a - b);
  return { first: first.ms, median: ms[Math.floor(ms.length / 2)]!, loss: first.loss };
}

// The kernels registerWasmKernels() replaces, saved so the middle configuration can put them back.
const REPLACED = ['Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul', 'Tile'];
const stock = REPLACED.map((n) => tf.getKernel(n, 'wasm')!);
function useStockReplaced(): void {
  for (const k of stock) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
}

const rows: string[][] = [];
const cpuMs: Record<string, number> = {};
await initNodeBackend('cpu');
for (const m of MODELS) {
  const r = await time(m, CPU_RUNS);
  cpuMs[m.name] = r.median;
  rows.push([m.name, 'cpu', r.first.toFixed(0), r.median.toFixed(1), '1.0×', r.loss.toFixed(6)]);
}
await initNodeBackend('wasm');
registerWasmKernels();
const ours = REPLACED.map((n) => tf.getKernel(n, 'wasm')!);
for (const [label, setup] of [
  ['wasm, missing kernels only', useStockReplaced],
  [
    'wasm + registerWasmKernels',
    () => ours.forEach((k) => (tf.unregisterKernel(k.kernelName, 'wasm'), tf.registerKernel(k))),
  ],
] as const) {
  setup();
  for (const m of MODELS) {
    const r = await time(m, RUNS);
    const speedup = `${(cpuMs[m.name]! / r.median).toFixed(1)}×`;
    rows.push([m.name, label, r.first.toFixed(0), r.median.toFixed(1), speedup, r.loss.toFixed(6)]);
  }
}

const head = ['model', 'backend', 'first ms', 'median ms', 'vs cpu', 'step-1 loss'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\nOne training step, batch ${B}, median of ${RUNS} (cpu: ${CPU_RUNS}) after one warm-up step`);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

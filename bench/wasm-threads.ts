/**
 * One big matmul and one convolution on the wasm backend with N threads (the threaded build as the
 * runtime loads it under Node): how much a second core buys the kernels themselves.
 *   npx tsx bench/wasm-threads.ts --threads 1 && npx tsx bench/wasm-threads.ts --threads 2
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend, wasmThreads } from '../src/runtime/node-backend';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '2' }, runs: { type: 'string', default: '30' } },
});
await initNodeBackend('wasm', { threads: Number(values.threads) });
const runs = Number(values.runs);

function time(label: string, f: () => tf.Tensor): void {
  for (let i = 0; i < 3; i++) f().dispose();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const y = f();
    y.dataSync();
    ms.push(performance.now() - t0);
    y.dispose();
  }
  ms.sort((a, b) => a - b);
  console.log(`| ${label} | ${wasmThreads()} | ${ms[Math.floor(runs / 2)]!.toFixed(2)} ms |`);
}

const a = tf.randomNormal([128, 784]);
const b = tf.randomNormal([784, 400]);
time('matmul [128, 784] · [784, 400]', () => tf.matMul(a, b));
const x = tf.randomNormal([128, 14, 14, 64]) as tf.Tensor4D;
const w = tf.randomNormal([4, 4, 64, 128]) as tf.Tensor4D;
time('conv 4×4 stride 2, [128, 14, 14, 64] → 128 channels', () => tf.conv2d(x, w, 2, 'same'));
process.exit(0);

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend, wasmThreads } from './node-backend';
import { registerWasmKernels } from './wasm-kernels';

// The threaded SIMD build, loaded our way under Node (see node-backend.ts): it must really run two
// threads, and what it computes, gradients of our composed conv kernels included, must match cpu.
beforeAll(async () => {
  await initNodeBackend('cpu');
  await initNodeBackend('wasm', { threads: 2 });
  registerWasmKernels();
});

function convLossGrads(x: tf.Tensor4D, w: tf.Tensor4D, transpose: boolean): Float32Array[] {
  return tf.tidy(() => {
    const f = (xi: tf.Tensor, wi: tf.Tensor) => {
      const y = transpose
        ? tf.conv2dTranspose(xi as tf.Tensor4D, wi as tf.Tensor4D, [x.shape[0], 28, 28, 16], 2, 'same')
        : tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same');
      return tf.sum(tf.mul(tf.relu(y), y));
    };
    return tf
      .grads(f)([x, w])
      .map((g) => Float32Array.from(g.dataSync()));
  });
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

describe('wasm with two threads under Node', () => {
  it('runs XNNPACK with two threads', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreads()).toBe(2);
  });

  it.each([false, true])('conv gradients match cpu (transposed: %s)', async (transpose) => {
    const xShape: [number, number, number, number] = transpose ? [4, 14, 14, 32] : [4, 28, 28, 16];
    const wShape: [number, number, number, number] = transpose ? [4, 4, 16, 32] : [4, 4, 16, 32];
    const xData = Float32Array.from({ length: xShape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
    const wData = Float32Array.from(
      { length: wShape.reduce((a, b) => a * b) },
      (_, i) => Math.cos(i * 0.11) / 8,
    );
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(xData, xShape);
      const w = tf.tensor4d(wData, wShape);
      const out = convLossGrads(x, w, transpose);
      tf.dispose([x, w]);
      return out;
    };
    const [dxCpu, dwCpu] = await run('cpu');
    const [dxWasm, dwWasm] = await run('wasm');
    expect(maxRelDiff(dxWasm!, dxCpu!)).toBeLessThan(1e-4);
    expect(maxRelDiff(dwWasm!, dwCpu!)).toBeLessThan(1e-4);
    expect(wasmThreads()).toBe(2);
  });
});

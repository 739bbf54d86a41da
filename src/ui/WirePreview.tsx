import { useEffect, useRef } from 'react';
import type { TensorData } from '../core/protocol';
import { paintImages } from './dash/draw';

export interface PreviewState {
  x: number;
  y: number;
  title: string;
  data?: TensorData;
  error?: string;
}

function stats(d: Float32Array) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of d) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / d.length) };
}

function paintHistogram(c: HTMLCanvasElement, d: Float32Array, bins = 40): void {
  const { min, max } = stats(d);
  const counts = new Array<number>(bins).fill(0);
  const span = max - min || 1;
  for (const v of d) counts[Math.min(bins - 1, Math.floor(((v - min) / span) * bins))]!++;
  const top = Math.max(...counts);
  c.width = 240;
  c.height = 90;
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#0b1020';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = '#60a5fa';
  const w = c.width / bins;
  counts.forEach((n, i) => {
    const h = (n / top) * (c.height - 4);
    ctx.fillRect(i * w + 0.5, c.height - h, w - 1, h);
  });
}

/** A live look at the tensor on a wire: an image grid for images, a histogram for anything else. */
export function WirePreview({ p }: { p: PreviewState }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const d = p.data;
  const isImage = !!d && d.shape.length === 4 && d.shape[1]! >= 8 && d.shape[2]! >= 8;
  useEffect(() => {
    if (!ref.current || !d) return;
    if (isImage) paintImages(ref.current, [d], 8, 1);
    else paintHistogram(ref.current, d.data);
  }, [d, isImage]);
  const s = d ? stats(d.data) : undefined;
  return (
    <div
      className="gg-wire-preview"
      style={{ left: p.x + 14, top: p.y + 14 }}
      data-testid="wire-preview"
      role="tooltip"
    >
      <strong>{p.title}</strong>
      {p.error && <p className="gg-muted">{p.error}</p>}
      {!d && !p.error && <p className="gg-muted">reading the tensor…</p>}
      {d && (
        <>
          <canvas ref={ref} />
          <small>
            [{d.shape.join(', ')}] · mean {s!.mean.toPrecision(3)} · std {s!.std.toPrecision(3)} · range [
            {s!.min.toPrecision(3)}, {s!.max.toPrecision(3)}]
          </small>
        </>
      )}
    </div>
  );
}

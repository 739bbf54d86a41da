/** Small canvas painters for the views: image grids, scatters, heat maps. */

export const DIGIT_COLORS = [
  '#60a5fa',
  '#f87171',
  '#34d399',
  '#fbbf24',
  '#a78bfa',
  '#f472b6',
  '#2dd4bf',
  '#fb923c',
  '#a3e635',
  '#e5e7eb',
];

/** Pixel values in [0, 1] or [−1, 1] (decided from the data) to grey levels. */
function toGrey(data: Float32Array): (v: number) => number {
  let min = Infinity;
  for (const v of data) if (v < min) min = v;
  const signed = min < -0.05;
  return signed ? (v) => (v + 1) * 127.5 : (v) => v * 255;
}

/**
 * Paints images [n, h, w, c] (c = 1 or 3) as a grid of `cols` columns, each cell `scale`× its size.
 * `rows` of separate tensors can be painted one under the other by calling with an offset.
 */
export function paintImages(
  canvas: HTMLCanvasElement,
  batches: Array<{ shape: number[]; data: Float32Array }>,
  cols: number,
  scale = 2,
): void {
  const [, h = 28, w = 28, c = 1] = batches[0]?.shape ?? [];
  const rows = batches.reduce((s, b) => s + Math.ceil(b.shape[0]! / cols), 0);
  const pad = 2;
  canvas.width = cols * (w * scale + pad) + pad;
  canvas.height = rows * (h * scale + pad) + pad;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#0b1020';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const img = ctx.createImageData(w, h);
  const tmp = document.createElement('canvas');
  tmp.width = w;
  tmp.height = h;
  const tctx = tmp.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  let row = 0;
  for (const b of batches) {
    const grey = toGrey(b.data);
    const n = b.shape[0]!;
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < h * w; p++) {
        for (let k = 0; k < 3; k++) {
          const v = b.data[(i * h * w + p) * c + (c === 3 ? k : 0)]!;
          img.data[p * 4 + k] = Math.max(0, Math.min(255, grey(v)));
        }
        img.data[p * 4 + 3] = 255;
      }
      tctx.putImageData(img, 0, 0);
      const x = pad + (i % cols) * (w * scale + pad);
      const y = pad + (row + Math.floor(i / cols)) * (h * scale + pad);
      ctx.drawImage(tmp, x, y, w * scale, h * scale);
    }
    row += Math.ceil(n / cols);
  }
}

export interface ScatterSet {
  xy: Float32Array;
  color: string | ((i: number) => string);
  size?: number;
  alpha?: number;
  label?: string;
}

export interface Bounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function boundsOf(sets: Float32Array[], margin = 0.08): Bounds {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const xy of sets)
    for (let i = 0; i < xy.length; i += 2) {
      x0 = Math.min(x0, xy[i]!);
      x1 = Math.max(x1, xy[i]!);
      y0 = Math.min(y0, xy[i + 1]!);
      y1 = Math.max(y1, xy[i + 1]!);
    }
  if (!Number.isFinite(x0)) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const mx = (x1 - x0 || 1) * margin;
  const my = (y1 - y0 || 1) * margin;
  return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
}

/** Scatter plots over an optional heat map (values in [0, 1], `grid`×`grid`, row 0 at the bottom). */
export function paintScatter(
  canvas: HTMLCanvasElement,
  sets: ScatterSet[],
  b: Bounds,
  heat?: { grid: number; values: Float32Array },
): void {
  const W = canvas.width;
  const H = canvas.height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#0b1020';
  ctx.fillRect(0, 0, W, H);
  if (heat) {
    const cw = W / heat.grid;
    const ch = H / heat.grid;
    for (let gy = 0; gy < heat.grid; gy++)
      for (let gx = 0; gx < heat.grid; gx++) {
        const v = heat.values[gy * heat.grid + gx]!;
        // D's belief that a point is real: blue (fake) → dark → orange (real), as in GAN Lab.
        const r = Math.round(20 + 200 * v);
        const g = Math.round(40 + 80 * v);
        const bl = Math.round(160 * (1 - v) + 30);
        ctx.fillStyle = `rgb(${r},${g},${bl})`;
        ctx.fillRect(gx * cw, H - (gy + 1) * ch, cw + 1, ch + 1);
      }
  }
  const sx = (x: number) => ((x - b.x0) / (b.x1 - b.x0)) * W;
  const sy = (y: number) => H - ((y - b.y0) / (b.y1 - b.y0)) * H;
  // One path and one fill per colour: setting fillStyle per point (a CSS parse each time) made a
  // 2,000-point map take over 10 ms of the page's time.
  for (const s of sets) {
    ctx.globalAlpha = s.alpha ?? 0.8;
    const r = s.size ?? 2;
    const byColor = new Map<string, number[]>();
    for (let i = 0; i < s.xy.length / 2; i++) {
      const c = typeof s.color === 'string' ? s.color : s.color(i);
      let list = byColor.get(c);
      if (!list) byColor.set(c, (list = []));
      list.push(i);
    }
    for (const [color, points] of byColor) {
      ctx.fillStyle = color;
      ctx.beginPath();
      for (const i of points) ctx.rect(sx(s.xy[2 * i]!) - r / 2, sy(s.xy[2 * i + 1]!) - r / 2, r, r);
      ctx.fill();
    }
  }
  ctx.globalAlpha = 1;
}

import { ShapeError } from '../shape';

/**
 * A network is described once, as a list of layer specs computed from its params and input shape.
 * The same list gives the shape rule, the parameter count and the TF.js builder, so they cannot
 * disagree. Feature shapes here exclude the batch dimension.
 */
export const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'elu', 'tanh', 'sigmoid', 'swish'] as const;
export type Act = (typeof ACTIVATIONS)[number];
export const NORMS = ['none', 'batch', 'layer', 'instance'] as const;
export type Norm = (typeof NORMS)[number];

export type LayerSpec =
  | { op: 'flatten' }
  | { op: 'reshape'; to: number[] }
  | { op: 'dense'; units: number; norm: Norm; act: Act; bias?: boolean }
  | {
      op: 'conv';
      filters: number;
      kernel: number;
      stride: number;
      transpose: boolean;
      norm: Norm;
      act: Act;
    }
  | { op: 'residual'; body: LayerSpec[] };

/** Shape after each layer, given the input feature shape; throws a ShapeError on a misfit. */
export function traceShapes(input: readonly number[], specs: readonly LayerSpec[]): number[][] {
  const shapes: number[][] = [];
  let cur = [...input];
  for (const s of specs) {
    cur = step(cur, s);
    shapes.push(cur);
  }
  return shapes;
}

export function outShape(input: readonly number[], specs: readonly LayerSpec[]): number[] {
  const all = traceShapes(input, specs);
  return all.length ? all[all.length - 1]! : [...input];
}

function step(cur: number[], s: LayerSpec): number[] {
  switch (s.op) {
    case 'flatten':
      return [cur.reduce((a, b) => a * b, 1)];
    case 'reshape': {
      const a = cur.reduce((x, y) => x * y, 1);
      const b = s.to.reduce((x, y) => x * y, 1);
      if (a !== b) throw new ShapeError(`cannot reshape [${cur}] (${a} values) to [${s.to}] (${b})`);
      return [...s.to];
    }
    case 'dense':
      if (cur.length !== 1) throw new ShapeError(`a dense layer needs a flat input, got [${cur}]`);
      return [s.units];
    case 'conv': {
      if (cur.length !== 3) throw new ShapeError(`a convolution needs an image [H, W, C], got [${cur}]`);
      const [h, w] = cur as [number, number, number];
      if (s.transpose) return [h * s.stride, w * s.stride, s.filters];
      return [Math.ceil(h / s.stride), Math.ceil(w / s.stride), s.filters];
    }
    case 'residual': {
      const out = outShape(cur, s.body);
      if (out.join() !== cur.join()) throw new ShapeError(`a residual block must keep its shape [${cur}]`);
      return cur;
    }
  }
}

/** Trainable parameters of the layer list (batch-norm running statistics are not counted). */
export function countParams(input: readonly number[], specs: readonly LayerSpec[]): number {
  let cur = [...input];
  let n = 0;
  for (const s of specs) {
    const next = step(cur, s);
    const channels = next[next.length - 1] ?? 0;
    switch (s.op) {
      case 'dense':
        n += cur[0]! * s.units + (hasBias(s.norm, s.bias) ? s.units : 0) + normParams(s.norm, channels);
        break;
      case 'conv': {
        const inC = cur[2]!;
        n += s.kernel * s.kernel * inC * s.filters + (hasBias(s.norm) ? s.filters : 0);
        n += normParams(s.norm, channels);
        break;
      }
      case 'residual':
        n += countParams(cur, s.body);
        break;
      default:
        break;
    }
    cur = next;
  }
  return n;
}

/** Batch and instance norm subtract the mean, which makes a bias before them redundant. */
export function hasBias(norm: Norm, bias = true): boolean {
  return bias && (norm === 'none' || norm === 'layer');
}

function normParams(norm: Norm, channels: number): number {
  return norm === 'none' ? 0 : 2 * channels;
}

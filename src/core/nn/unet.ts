import type { ForwardCtx, Tensor, TF, VarFactory } from '../kinds/types';
import { activate } from './build';

/**
 * A small DDPM U-Net (Ho et al. 2020, scaled down): residual blocks with group norm and swish, the
 * timestep embedding added inside every block, stride-2 downsampling, and skip connections concatenated
 * on the way up. No attention: at 28×28 and this size it costs more time than it brings.
 */
export interface UnetParams {
  channels: number;
  mults: number[];
  timeDim: number;
}

type Fn = (x: Tensor, temb: Tensor, ctx: ForwardCtx) => Tensor;

function groups(c: number): number {
  for (const g of [8, 4, 2]) if (c % g === 0) return g;
  return 1;
}

function groupNorm(tf: TF, vars: VarFactory, name: string, c: number) {
  const gamma = vars.make(`${name}/gamma`, [c], 'ones');
  const beta = vars.make(`${name}/beta`, [c], 'zeros');
  const g = groups(c);
  return (x: Tensor) => {
    const [b, h, w] = x.shape as [number, number, number, number];
    const xr = x.reshape([b, h, w, g, c / g]);
    const { mean, variance } = tf.moments(xr, [1, 2, 4], true);
    const y = tf.div(tf.sub(xr, mean), tf.sqrt(tf.add(variance, 1e-5))).reshape([b, h, w, c]);
    return tf.add(tf.mul(y, gamma), beta);
  };
}

function convLayer(tf: TF, vars: VarFactory, name: string, cin: number, cout: number, k: number, stride = 1) {
  const w = vars.make(`${name}/kernel`, [k, k, cin, cout], 'glorot');
  const b = vars.make(`${name}/bias`, [cout], 'zeros');
  return (x: Tensor) =>
    tf.fused.conv2d({ x: x as never, filter: w as never, bias: b, strides: stride, pad: 'same' }) as Tensor;
}

function denseLayer(tf: TF, vars: VarFactory, name: string, din: number, dout: number) {
  const w = vars.make(`${name}/kernel`, [din, dout], 'glorot');
  const b = vars.make(`${name}/bias`, [dout], 'zeros');
  return (x: Tensor) => tf.fused.matMul({ a: x as never, b: w as never, bias: b }) as Tensor;
}

function resBlock(tf: TF, vars: VarFactory, name: string, cin: number, cout: number, tdim: number): Fn {
  const n1 = groupNorm(tf, vars, `${name}/norm1`, cin);
  const c1 = convLayer(tf, vars, `${name}/conv1`, cin, cout, 3);
  const t = denseLayer(tf, vars, `${name}/time`, tdim, cout);
  const n2 = groupNorm(tf, vars, `${name}/norm2`, cout);
  const c2 = convLayer(tf, vars, `${name}/conv2`, cout, cout, 3);
  const skip = cin === cout ? (x: Tensor) => x : convLayer(tf, vars, `${name}/skip`, cin, cout, 1);
  return (x, temb) => {
    let h = c1(activate(tf, n1(x), 'swish'));
    h = tf.add(h, t(activate(tf, temb, 'swish')).reshape([-1, 1, 1, cout]));
    h = c2(activate(tf, n2(h), 'swish'));
    return tf.add(skip(x), h);
  };
}

/** Sinusoidal embedding of integer timesteps, as in the Transformer and DDPM. */
export function timestepEmbedding(tf: TF, t: Tensor, dim: number): Tensor {
  const half = Math.floor(dim / 2);
  const freqs = tf.exp(tf.mul(tf.range(0, half, 1, 'float32'), -Math.log(10000) / Math.max(1, half - 1)));
  const args = tf.mul(t.toFloat().reshape([-1, 1]), freqs.reshape([1, half]));
  return tf.concat([tf.sin(args), tf.cos(args)], 1);
}

export function buildUnet(tf: TF, vars: VarFactory, p: UnetParams, inC: number) {
  const tdim = p.timeDim;
  const t1 = denseLayer(tf, vars, 'time/0', tdim, tdim * 2);
  const t2 = denseLayer(tf, vars, 'time/1', tdim * 2, tdim * 2);
  const convIn = convLayer(tf, vars, 'in', inC, p.channels, 3);
  const widths = p.mults.map((m) => m * p.channels);
  const down: Fn[] = [];
  const downsample: Array<(x: Tensor) => Tensor> = [];
  let c = p.channels;
  widths.forEach((w, i) => {
    down.push(resBlock(tf, vars, `down/${i}`, c, w, tdim * 2));
    c = w;
    if (i < widths.length - 1) downsample.push(convLayer(tf, vars, `down/${i}/sample`, c, c, 3, 2));
  });
  const mid = resBlock(tf, vars, 'mid', c, c, tdim * 2);
  const up: Fn[] = [];
  for (let i = widths.length - 1; i >= 0; i--) {
    up.push(resBlock(tf, vars, `up/${i}`, c + widths[i]!, widths[i]!, tdim * 2));
    c = widths[i]!;
  }
  const normOut = groupNorm(tf, vars, 'out/norm', c);
  const convOut = convLayer(tf, vars, 'out', c, inC, 3);
  return (x: Tensor, t: Tensor, ctx: ForwardCtx): Tensor => {
    const temb = t2(activate(tf, t1(timestepEmbedding(tf, t, tdim)), 'swish'));
    let h = convIn(x);
    const skips: Tensor[] = [];
    down.forEach((block, i) => {
      h = block(h, temb, ctx);
      skips.push(h);
      const ds = downsample[i];
      if (ds) h = ds(h);
    });
    h = mid(h, temb, ctx);
    up.forEach((block, j) => {
      const skip = skips[skips.length - 1 - j]!;
      if (h.shape[1] !== skip.shape[1]) {
        h = tf.image.resizeNearestNeighbor(h as never, [skip.shape[1]!, skip.shape[2]!]) as Tensor;
      }
      h = block(tf.concat([h, skip], 3), temb, ctx);
    });
    return convOut(activate(tf, normOut(h), 'swish'));
  };
}

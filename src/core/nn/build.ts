import type { ForwardCtx, Tensor, TF, VarFactory, Variable } from '../kinds/types';
import type { Act, LayerSpec, Norm } from './spec';
import { hasBias, traceShapes } from './spec';

export type Layer = (x: Tensor, ctx: ForwardCtx) => Tensor;

const LEAK = 0.2;
const BN_MOMENTUM = 0.1;
const EPS = 1e-5;

/** TF.js computes gradients of fused kernels only for these activations. */
const FUSABLE: ReadonlySet<Act> = new Set(['linear', 'relu']);

export function activate(tf: TF, x: Tensor, act: Act): Tensor {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, LEAK);
    case 'elu':
      return tf.elu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
  }
}

/** Normalisation over the channel (last) axis; batch norm keeps running statistics for evaluation. */
export function makeNorm(tf: TF, vars: VarFactory, name: string, norm: Norm, channels: number): Layer {
  if (norm === 'none') return (x) => x;
  const gamma = vars.make(`${name}/gamma`, [channels], 'ones');
  const beta = vars.make(`${name}/beta`, [channels], 'zeros');
  if (norm === 'batch') {
    const runMean = vars.make(`${name}/running_mean`, [channels], 'zeros', false);
    const runVar = vars.make(`${name}/running_var`, [channels], 'ones', false);
    return (x, ctx) => {
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      if (!ctx.training) return tf.batchNorm(x, runMean, runVar, beta, gamma, EPS);
      const { mean, variance } = tf.moments(x, axes);
      updateRunning(tf, runMean, mean);
      updateRunning(tf, runVar, variance);
      return tf.batchNorm(x, mean, variance, beta, gamma, EPS);
    };
  }
  // Layer norm normalises each sample over its features; instance norm each sample's channel over H, W.
  return (x) => {
    const r = x.shape.length;
    const axes = norm === 'layer' ? [r - 1] : x.shape.slice(1, -1).map((_, i) => i + 1);
    const { mean, variance } = tf.moments(x, axes, true);
    // Written out: TF.js's batchNorm gradient wants mean and offset of equal rank.
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPS))), gamma), beta);
  };
}

function updateRunning(tf: TF, v: Variable, batch: Tensor): void {
  const next = tf.tidy(() => tf.add(tf.mul(v, 1 - BN_MOMENTUM), tf.mul(batch, BN_MOMENTUM)));
  v.assign(next);
  next.dispose();
}

/** Builds a layer list into one function; variables are named `${prefix}/${index}/...`. */
export function buildLayers(
  tf: TF,
  vars: VarFactory,
  prefix: string,
  input: readonly number[],
  specs: readonly LayerSpec[],
): Layer {
  const shapes = traceShapes(input, specs);
  const layers: Layer[] = specs.map((s, i) => {
    const inShape = i === 0 ? input : shapes[i - 1]!;
    return buildOne(tf, vars, `${prefix}/${i}`, inShape, shapes[i]!, s);
  });
  return (x, ctx) => layers.reduce((h, layer) => layer(h, ctx), x);
}

function buildOne(
  tf: TF,
  vars: VarFactory,
  name: string,
  inShape: readonly number[],
  out: readonly number[],
  s: LayerSpec,
): Layer {
  switch (s.op) {
    case 'flatten':
      return (x) => tf.reshape(x, [-1, out[0]!]);
    case 'reshape':
      return (x) => tf.reshape(x, [-1, ...s.to]);
    case 'dense': {
      const w = vars.make(`${name}/kernel`, [inShape[0]!, s.units], s.act === 'relu' ? 'he' : 'glorot');
      const b = hasBias(s.norm, s.bias) ? vars.make(`${name}/bias`, [s.units], 'zeros') : undefined;
      const norm = makeNorm(tf, vars, `${name}/norm`, s.norm, s.units);
      const fuse = s.norm === 'none' && FUSABLE.has(s.act);
      return (x, ctx) => {
        if (fuse) return tf.fused.matMul({ a: x, b: w, bias: b, activation: s.act as 'relu' | 'linear' });
        const y = tf.fused.matMul({ a: x, b: w, bias: b });
        return activate(tf, norm(y, ctx), s.act);
      };
    }
    case 'conv': {
      const inC = inShape[2]!;
      const kshape = s.transpose
        ? [s.kernel, s.kernel, s.filters, inC]
        : [s.kernel, s.kernel, inC, s.filters];
      const w = vars.make(`${name}/kernel`, kshape, s.act === 'relu' ? 'he' : 'glorot');
      const b = hasBias(s.norm) ? vars.make(`${name}/bias`, [s.filters], 'zeros') : undefined;
      const norm = makeNorm(tf, vars, `${name}/norm`, s.norm, s.filters);
      const fuse = s.norm === 'none' && FUSABLE.has(s.act) && !s.transpose;
      return (x, ctx) => {
        const x4 = x as Parameters<TF['conv2d']>[0];
        if (fuse) {
          return tf.fused.conv2d({
            x: x4,
            filter: w as Parameters<TF['conv2d']>[1],
            strides: s.stride,
            pad: 'same',
            bias: b,
            activation: s.act as 'relu' | 'linear',
          });
        }
        let y: Tensor;
        if (s.transpose) {
          const outShape: [number, number, number, number] = [x.shape[0]!, out[0]!, out[1]!, s.filters];
          y = tf.conv2dTranspose(x4, w as Parameters<TF['conv2dTranspose']>[1], outShape, s.stride, 'same');
        } else {
          y = tf.conv2d(x4, w as Parameters<TF['conv2d']>[1], s.stride, 'same');
        }
        if (b) y = tf.add(y, b);
        return activate(tf, norm(y, ctx), s.act);
      };
    }
    case 'residual': {
      const body = buildLayers(tf, vars, `${name}/res`, inShape, s.body);
      return (x, ctx) => tf.add(x, body(x, ctx));
    }
  }
}

/** Identity whose gradient is zero: TF.js has no stop_gradient op, so one is made with customGrad. */
export function stopGradient(tf: TF, x: Tensor): Tensor {
  const f = tf.customGrad((a) => {
    const t = a as Tensor;
    return { value: t.clone(), gradFunc: (dy: Tensor) => tf.zerosLike(dy) };
  });
  return f(x) as Tensor;
}

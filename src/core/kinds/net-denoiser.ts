import { z } from 'zod';
import { activate } from '../nn/build';
import { buildUnet, timestepEmbedding } from '../nn/unet';
import { ShapeError, featureSize, need } from '../shape';
import type { ForwardCtx, Tensor, Value } from './types';
import { defineKind, expectTensor } from './types';
import { activation, init, sizes } from './common';

const params = z.object({
  arch: z.enum(['mlp', 'unet']).default('unet').describe('U-Net for images, MLP for points'),
  channels: z.number().int().min(1).max(256).default(32).describe('U-Net: channels at full resolution'),
  mults: sizes([1, 2], 'U-Net: channel multiplier per resolution (each further one halves H and W)'),
  hidden: sizes([128, 128, 128], 'MLP: hidden widths'),
  activation: activation('swish'),
  timeDim: z.number().int().min(2).max(512).default(32).describe('size of the timestep embedding'),
  init,
});
type P = z.infer<typeof params>;

function buildMlp(
  tf: Parameters<typeof timestepEmbedding>[0],
  vars: Parameters<typeof buildUnet>[1],
  p: P,
  d: number,
) {
  const layer = (name: string, din: number, dout: number) => {
    const w = vars.make(`${name}/kernel`, [din, dout], 'glorot');
    const b = vars.make(`${name}/bias`, [dout], 'zeros');
    return (x: Tensor) => tf.fused.matMul({ a: x as never, b: w as never, bias: b }) as Tensor;
  };
  const temb = layer('time', p.timeDim, p.timeDim);
  let width = d;
  // Each hidden layer sees the timestep embedding again, so every layer knows the noise level.
  const hidden = p.hidden.map((h, i) => {
    const l = layer(`hidden/${i}`, width + p.timeDim, h);
    width = h;
    return l;
  });
  const out = layer('out', width, d);
  return (x: Tensor, t: Tensor) => {
    const e = activate(tf, temb(timestepEmbedding(tf, t, p.timeDim)), p.activation);
    const h = hidden.reduce((acc, l) => activate(tf, l(tf.concat([acc, e], 1)), p.activation), x);
    return out(h);
  };
}

export const denoiser = defineKind({
  kind: 'net.denoiser',
  title: 'Denoiser ε_θ(x_t, t)',
  category: 'network',
  summary: 'Predicts the noise that was added to x_t at step t',
  doc:
    'The network of a diffusion model (Ho et al. 2020). Given a noised sample x_t and its timestep t, it ' +
    'predicts the noise ε that was mixed in; trained with a plain mean squared error, this is the “simple” ' +
    'DDPM objective. The timestep enters through a sinusoidal embedding added inside every block. A small ' +
    'U-Net for images, an MLP for 2D points. Its model output hands the network to the reverse sampler.',
  params,
  trainable: true,
  inputs: () => [
    { name: 'x', type: 'data', doc: 'the noised sample x_t' },
    { name: 't', type: 'timestep' },
  ],
  outputs: () => [
    { name: 'eps', type: 'data', doc: 'predicted noise ε̂' },
    { name: 'model', type: 'network', independent: true, doc: 'this network, for the reverse sampler' },
  ],
  infer(p, inputs) {
    const x = need(inputs, 'x');
    const t = need(inputs, 't');
    if (t.shape.length !== 1) throw new ShapeError(`'t' must be one timestep per sample [B]`, 't');
    if (p.arch === 'unet') {
      if (x.shape.length !== 4) throw new ShapeError(`the U-Net needs images [B, H, W, C] on 'x'`, 'x');
      const k = 2 ** (p.mults.length - 1);
      const [h, w] = x.shape.slice(1, 3) as number[];
      if (h! % k || w! % k)
        throw new ShapeError(`image ${h}×${w} must divide by ${k} for ${p.mults.length} levels`, 'x');
      if (p.mults.length === 0) throw new ShapeError('the U-Net needs at least one level in mults');
    } else featureSize(x.shape, "'x'");
    return { eps: { type: 'data', shape: x.shape }, model: { type: 'network', shape: x.shape } };
  },
  build({ tf, vars, params: p, inputs }) {
    const shape = need(inputs, 'x').shape;
    let net: (x: Tensor, t: Tensor, ctx: Parameters<ReturnType<typeof buildUnet>>[2]) => Tensor;
    if (p.arch === 'unet') {
      net = buildUnet(tf, vars, p, shape[3] as number);
    } else {
      const d = featureSize(shape);
      const mlp = buildMlp(tf, vars, p, d);
      net = (x, t) => mlp(x.reshape([x.shape[0]!, d]), t).reshape(x.shape);
    }
    const call = (x: Tensor, t: Tensor, ctx: Parameters<typeof net>[2]) => net(x, t, ctx);
    const model = {
      kind: 'network' as const,
      call: (inp: Record<string, Value>, c: ForwardCtx) => ({
        eps: call(expectTensor(inp.x, 'x'), expectTensor(inp.t, 't'), c),
      }),
    };
    return {
      forward(i, ctx) {
        if (i.x === undefined && i.t === undefined) return { model };
        return { eps: call(expectTensor(i.x, 'x'), expectTensor(i.t, 't'), ctx), model };
      },
    };
  },
});

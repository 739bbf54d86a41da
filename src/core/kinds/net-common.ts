import { z } from 'zod';
import type { Act, LayerSpec, Norm } from '../nn/spec';
import { ShapeError, featureSize } from '../shape';
import type { Shape } from '../shape';
import { activation, init, norm, sizes } from './common';

export const networkParams = {
  arch: z.enum(['mlp', 'conv']).default('mlp').describe('fully connected layers, or convolutions for images'),
  hidden: sizes([400]),
  channels: sizes([32, 64], 'channels of the stride-2 convolutions (conv only)'),
  activation: activation('relu'),
  norm: norm('none'),
  init,
};

export function dense(units: number, n: Norm, act: Act): LayerSpec {
  return { op: 'dense', units, norm: n, act };
}

export function conv(
  filters: number,
  kernel: number,
  stride: number,
  n: Norm,
  act: Act,
  transpose = false,
): LayerSpec {
  return { op: 'conv', filters, kernel, stride, transpose, norm: n, act };
}

/** Feature shape without the batch; images stay [H, W, C], anything else is flattened for an MLP. */
export function features(shape: Shape, arch: string, port: string): number[] {
  if (arch !== 'mlp') {
    if (shape.length !== 4)
      throw new ShapeError(`a conv network needs an image [B, H, W, C] on '${port}'`, port);
    return shape.slice(1).map((d) => {
      if (typeof d !== 'number') throw new ShapeError(`'${port}' has a symbolic size ${d}`, port);
      return d;
    });
  }
  return [featureSize(shape, `'${port}'`)];
}

/** Downsampling trunk shared by encoders and discriminators: strided convs (conv only), then dense layers. */
export function downTrunk(
  p: { arch: string; hidden: number[]; channels: number[]; activation: Act; norm: Norm },
  normFirst: boolean,
): LayerSpec[] {
  const specs: LayerSpec[] = [];
  if (p.arch !== 'mlp') {
    p.channels.forEach((c, i) =>
      specs.push(conv(c, 4, 2, i === 0 && !normFirst ? 'none' : p.norm, p.activation)),
    );
  }
  specs.push({ op: 'flatten' });
  for (const h of p.hidden) specs.push(dense(h, p.norm, p.activation));
  return specs;
}

/**
 * Upsampling body shared by decoders and generators: dense layers, then (conv) a dense layer to a small
 * image and stride-2 transposed convolutions up to the output size; the last layer has no norm.
 */
export function upBody(
  p: { arch: string; hidden: number[]; channels: number[]; activation: Act; norm: Norm; outShape: number[] },
  outAct: Act,
): LayerSpec[] {
  const specs: LayerSpec[] = p.hidden.map((h) => dense(h, p.norm, p.activation));
  const out = p.outShape;
  if (p.arch === 'mlp') {
    specs.push(
      dense(
        out.reduce((a, b) => a * b, 1),
        'none',
        outAct,
      ),
    );
    if (out.length > 1) specs.push({ op: 'reshape', to: out });
    return specs;
  }
  if (out.length !== 3) throw new ShapeError('a conv decoder needs an image output shape [H, W, C]');
  const k = p.channels.length;
  const [h, w, c] = out as [number, number, number];
  const f = 2 ** k;
  if (k === 0 || h % f !== 0 || w % f !== 0) {
    throw new ShapeError(`output ${h}×${w} must divide by 2^${k} (one doubling per entry of channels)`);
  }
  const first = p.channels[0]!;
  specs.push(dense((h / f) * (w / f) * first, p.norm, p.activation));
  specs.push({ op: 'reshape', to: [h / f, w / f, first] });
  for (const ch of p.channels.slice(1)) specs.push(conv(ch, 4, 2, p.norm, p.activation, true));
  specs.push(conv(c, 4, 2, 'none', outAct, true));
  return specs;
}

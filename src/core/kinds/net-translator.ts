import { z } from 'zod';
import { buildLayers } from '../nn/build';
import type { LayerSpec } from '../nn/spec';
import { traceShapes } from '../nn/spec';
import { BATCH, ShapeError, need } from '../shape';
import { defineKind, expectTensor } from './types';
import { init, norm, outputActivation } from './common';
import { conv, features } from './net-common';

const params = z.object({
  base: z.number().int().min(1).max(512).default(16).describe('channels of the first convolution'),
  downsample: z.number().int().min(0).max(4).default(2).describe('stride-2 convolutions down (and up again)'),
  blocks: z.number().int().min(0).max(16).default(2).describe('residual blocks at the lowest resolution'),
  norm: norm('instance'),
  output: outputActivation.default('tanh'),
  init,
});
type P = z.infer<typeof params>;

/** The CycleGAN ResNet generator (Johnson et al. 2016), with widths and depth as params. */
export function translatorSpecs(p: P, channelsOut: number): LayerSpec[] {
  const specs: LayerSpec[] = [conv(p.base, 7, 1, p.norm, 'relu')];
  let c = p.base;
  for (let i = 0; i < p.downsample; i++) specs.push(conv((c *= 2), 3, 2, p.norm, 'relu'));
  for (let i = 0; i < p.blocks; i++) {
    specs.push({ op: 'residual', body: [conv(c, 3, 1, p.norm, 'relu'), conv(c, 3, 1, p.norm, 'linear')] });
  }
  for (let i = 0; i < p.downsample; i++) specs.push(conv((c /= 2), 3, 2, p.norm, 'relu', true));
  specs.push(conv(channelsOut, 7, 1, 'none', p.output));
  return specs;
}

export const translator = defineKind({
  kind: 'net.translator',
  title: 'Image translator',
  category: 'network',
  summary: 'image → image: the ResNet generator of CycleGAN',
  doc:
    'Maps an image of one domain to the other (CycleGAN’s G: A → B or F: B → A; Zhu et al. 2017). It ' +
    'downsamples with strided convolutions, transforms the image with residual blocks, and upsamples back ' +
    'to the input size, so the output keeps the layout of the input while its style changes. Instance ' +
    'normalisation keeps each image’s statistics separate. Scaled down here for 28×28 digits.',
  params,
  trainable: true,
  inputs: () => [{ name: 'x', type: 'data' }],
  outputs: () => [{ name: 'y', type: 'data' }],
  infer(p, inputs) {
    const x = need(inputs, 'x');
    const f = features(x.shape, 'conv', 'x');
    const k = 2 ** p.downsample;
    if (f[0]! % k || f[1]! % k) throw new ShapeError(`image ${f[0]}×${f[1]} must divide by ${k}`, 'x');
    const all = traceShapes(f, translatorSpecs(p, f[2]!));
    return { y: { type: 'data', shape: [BATCH, ...all[all.length - 1]!] } };
  },
  build({ tf, vars, params: p, inputs }) {
    const f = features(need(inputs, 'x').shape, 'conv', 'x');
    const body = buildLayers(tf, vars, 'body', f, translatorSpecs(p, f[2]!));
    return { forward: (i, ctx) => ({ y: body(expectTensor(i.x, 'x'), ctx) }) };
  },
});

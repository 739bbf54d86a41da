import { z } from 'zod';
import { buildLayers } from '../nn/build';
import { outShape } from '../nn/spec';
import type { LayerSpec } from '../nn/spec';
import { BATCH, need } from '../shape';
import type { TensorInfo } from '../shape';
import { defineKind, expectTensor } from './types';
import type { PortSpec } from './types';
import { activation, dim, norm } from './common';
import { conv, dense, downTrunk, features, networkParams } from './net-common';

const params = z.object({
  ...networkParams,
  arch: z
    .enum(['mlp', 'conv', 'patch'])
    .default('mlp')
    .describe('mlp or conv: one logit per sample; patch: a logit per image patch (PatchGAN)'),
  hidden: networkParams.hidden.default([256]),
  channels: networkParams.channels.default([64, 128]),
  activation: activation('leakyrelu'),
  norm: norm('none'),
  qHead: z.boolean().default(false).describe('add InfoGAN’s Q head that predicts the codes'),
  qCategories: dim(10, 'classes of the categorical code Q predicts'),
  qContinuous: z.number().int().min(0).max(64).default(2).describe('continuous codes Q predicts'),
  qHidden: dim(128, 'width of the Q head'),
});
type P = z.infer<typeof params>;

function specs(p: P, input: number[]) {
  if (p.arch === 'patch') {
    const trunk: LayerSpec[] = p.channels.map((c, i) =>
      conv(c, 4, 2, i === 0 ? 'none' : p.norm, p.activation),
    );
    trunk.push(conv(1, 4, 1, 'none', 'linear'));
    return { trunk, logit: [] as LayerSpec[], q: [] as LayerSpec[], width: 0 };
  }
  const trunk = downTrunk(p, false);
  const width = outShape(input, trunk)[0]!;
  const q = [dense(p.qHidden, p.norm, p.activation), dense(p.qCategories + p.qContinuous, 'none', 'linear')];
  return { trunk, logit: [dense(1, 'none', 'linear')], q, width };
}

export const discriminator = defineKind({
  kind: 'net.discriminator',
  title: 'Discriminator',
  category: 'network',
  summary: 'x → logit: tells real samples from generated ones',
  doc:
    'The GAN critic D: it outputs a logit, high for data it believes real and low for generated data. Its ' +
    'losses train it to tell them apart while the generator learns to fool it. It can judge images, 2D ' +
    'points, or latent codes (the AAE discriminator tells encoded z from prior samples). PatchGAN (CycleGAN) ' +
    'gives one logit per overlapping patch instead of one per image. With the Q head it also predicts the ' +
    'InfoGAN codes from its own features, which makes the information loss nearly free.',
  params,
  trainable: true,
  inputs: () => [{ name: 'x', type: 'data', accepts: ['data', 'latent', 'code'] }],
  outputs(p) {
    const ports: PortSpec[] = [{ name: 'logit', type: 'logits' }];
    if (p.qHead && p.arch !== 'patch') {
      ports.push({ name: 'q_cat', type: 'logits', doc: 'Q’s logits over the categorical code' });
      if (p.qContinuous > 0)
        ports.push({ name: 'q_cont', type: 'code', doc: 'Q’s estimate of the continuous codes' });
    }
    return ports;
  },
  infer(p, inputs) {
    const x = need(inputs, 'x');
    const input = features(x.shape, p.arch, 'x');
    const s = specs(p, input);
    if (p.arch === 'patch') return { logit: { type: 'logits', shape: [BATCH, ...outShape(input, s.trunk)] } };
    const out: Record<string, TensorInfo> = { logit: { type: 'logits', shape: [BATCH, 1] } };
    if (p.qHead) {
      out.q_cat = { type: 'logits', shape: [BATCH, p.qCategories] };
      if (p.qContinuous > 0) out.q_cont = { type: 'code', shape: [BATCH, p.qContinuous] };
    }
    return out;
  },
  build({ tf, vars, params: p, inputs }) {
    const input = features(need(inputs, 'x').shape, p.arch, 'x');
    const s = specs(p, input);
    const trunk = buildLayers(tf, vars, 'trunk', input, s.trunk);
    const logit = buildLayers(tf, vars, 'logit', [s.width], s.logit);
    const q = p.qHead && p.arch !== 'patch' ? buildLayers(tf, vars, 'q', [s.width], s.q) : undefined;
    return {
      forward(i, ctx) {
        const x = expectTensor(i.x, 'x');
        const h = trunk(p.arch === 'mlp' ? x.reshape([x.shape[0]!, -1]) : x, ctx);
        if (p.arch === 'patch') return { logit: h };
        if (!q) return { logit: logit(h, ctx) };
        const qo = q(h, ctx);
        if (p.qContinuous === 0) return { logit: logit(h, ctx), q_cat: qo };
        const [qCat, qCont] = tf.split(qo, [p.qCategories, p.qContinuous], 1) as [typeof qo, typeof qo];
        return { logit: logit(h, ctx), q_cat: qCat, q_cont: qCont };
      },
    };
  },
});

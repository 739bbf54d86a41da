import { z } from 'zod';
import { buildLayers } from '../nn/build';
import { outShape } from '../nn/spec';
import { BATCH, need } from '../shape';
import { defineKind, expectTensor } from './types';
import { dim } from './common';
import { dense, downTrunk, features, networkParams } from './net-common';

const params = z.object({
  ...networkParams,
  latent: dim(20, 'size of the latent code z'),
  head: z
    .enum(['gaussian', 'deterministic'])
    .default('gaussian')
    .describe('gaussian: mean and log-variance (VAE); deterministic: z itself (AAE)'),
});
type P = z.infer<typeof params>;

function specs(p: P, input: number[]) {
  const trunk = downTrunk(p, true);
  const width = outShape(input, trunk)[0]!;
  return { trunk, head: [dense(p.head === 'gaussian' ? 2 * p.latent : p.latent, 'none', 'linear')], width };
}

export const encoder = defineKind({
  kind: 'net.encoder',
  title: 'Encoder',
  category: 'network',
  summary: 'x → q(z | x): maps data to a latent code',
  doc:
    'A network that reads a data point and describes where it lives in latent space. With a gaussian head ' +
    'it outputs the mean and log-variance of q(z | x), as in a VAE, where a sample is then drawn by the ' +
    'reparameterization trick; with a deterministic head it outputs z directly, as the AAE encoder does. ' +
    'Choose an MLP (the image is flattened) or strided convolutions.',
  params,
  trainable: true,
  inputs: () => [{ name: 'x', type: 'data', accepts: ['data'] }],
  outputs: (p) => [p.head === 'gaussian' ? { name: 'q', type: 'gaussian' } : { name: 'z', type: 'latent' }],
  infer(p, inputs) {
    const x = need(inputs, 'x');
    specs(p, features(x.shape, p.arch, 'x'));
    return p.head === 'gaussian'
      ? { q: { type: 'gaussian', shape: [BATCH, p.latent] } }
      : { z: { type: 'latent', shape: [BATCH, p.latent] } };
  },
  build({ tf, vars, params: p, inputs }) {
    const input = features(need(inputs, 'x').shape, p.arch, 'x');
    const s = specs(p, input);
    const trunk = buildLayers(tf, vars, 'trunk', input, s.trunk);
    const head = buildLayers(tf, vars, 'head', [s.width], s.head);
    return {
      forward(i, ctx) {
        const x = expectTensor(i.x, 'x');
        const out = head(trunk(p.arch === 'mlp' ? x.reshape([x.shape[0]!, -1]) : x, ctx), ctx);
        if (p.head === 'deterministic') return { z: out };
        const [mean, logvar] = tf.split(out, 2, 1) as [typeof out, typeof out];
        return { q: { kind: 'gaussian', mean, logvar } };
      },
    };
  },
});

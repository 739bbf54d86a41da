import { z } from 'zod';
import { need, ShapeError } from '../shape';
import { defineKind, expectKind } from './types';

export const reparameterize = defineKind({
  kind: 'latent.reparameterize',
  title: 'Reparameterized sample',
  category: 'sampler',
  summary: 'z = μ + σ·ε: a sample of q(z | x) that gradients flow through',
  doc:
    'Draws z from the gaussian q(z | x) = N(μ, σ²) as z = μ + exp(½·log σ²)·ε with ε ~ N(0, I) (Kingma & ' +
    'Welling 2013). Because the randomness sits in ε, the gradient of the loss reaches μ and log σ², and so ' +
    'the encoder; sampling z directly would block it. When not training it returns the mean.',
  params: z.object({
    sampleWhenEvaluating: z.boolean().default(false).describe('draw z (not the mean) outside training'),
  }),
  inputs: () => [{ name: 'q', type: 'gaussian' }],
  outputs: () => [{ name: 'z', type: 'latent' }],
  infer(_p, inputs) {
    const q = need(inputs, 'q');
    if (q.type !== 'gaussian') throw new ShapeError(`'q' must be a gaussian (mean and log-variance)`, 'q');
    return { z: { type: 'latent', shape: q.shape } };
  },
  build({ tf, params }) {
    return {
      forward(i, ctx) {
        const q = expectKind(i.q, 'gaussian', 'q');
        if (!ctx.training && !params.sampleWhenEvaluating) return { z: q.mean };
        const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', ctx.nextSeed());
        return { z: tf.add(q.mean, tf.mul(tf.exp(tf.mul(q.logvar, 0.5)), eps)) };
      },
    };
  },
});

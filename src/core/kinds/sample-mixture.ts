import { z } from 'zod';
import { BATCH } from '../shape';
import { gaussian, mulberry32 } from '../random';
import { defineKind } from './types';
import { dim } from './common';

export const sampleMixture = defineKind({
  kind: 'sample.mixture',
  title: 'Gaussian mixture',
  category: 'sampler',
  summary: 'z from K gaussians placed on a circle in the first two dimensions',
  doc:
    'A mixture of K equally likely gaussians whose means sit on a circle in the first two dimensions (the ' +
    'other dimensions are N(0, σ²)). Used as the prior of an adversarial autoencoder (Makhzani et al. ' +
    '2015), it shows what a KL loss cannot do: the AAE can match any prior it can sample from, even one ' +
    'with no closed-form density.',
  params: z.object({
    dim: dim(10, 'number of dimensions (≥ 2)'),
    components: z.number().int().min(1).max(64).default(10).describe('number of gaussians K'),
    radius: z.number().positive().default(2),
    std: z.number().positive().default(0.5),
  }),
  inputs: () => [],
  outputs: () => [{ name: 'z', type: 'latent' }],
  infer: (p) => ({ z: { type: 'latent', shape: [BATCH, p.dim] } }),
  build({ tf, params }) {
    return {
      forward(_i, ctx) {
        const rng = mulberry32(ctx.nextSeed());
        const { dim: d, components: k, radius, std } = params;
        const out = new Float32Array(ctx.batchSize * d);
        for (let i = 0; i < ctx.batchSize; i++) {
          const a = (2 * Math.PI * Math.floor(rng() * k)) / k;
          for (let j = 0; j < d; j++) {
            const mu = j === 0 ? radius * Math.cos(a) : j === 1 ? radius * Math.sin(a) : 0;
            out[i * d + j] = mu + std * gaussian(rng);
          }
        }
        return { z: tf.tensor2d(out, [ctx.batchSize, d]) };
      },
    };
  },
});

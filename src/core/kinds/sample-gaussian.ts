import { z } from 'zod';
import { BATCH } from '../shape';
import { defineKind } from './types';
import { dim } from './common';

export const sampleGaussian = defineKind({
  kind: 'sample.gaussian',
  title: 'Gaussian noise',
  category: 'sampler',
  summary: 'z ~ N(μ, σ²): the usual prior and generator input',
  doc:
    'Draws each coordinate independently from a normal distribution, N(0, 1) by default. It is the prior ' +
    'p(z) of a VAE or AAE, the noise a GAN generator turns into data, and the starting point x_T of ' +
    'diffusion sampling. A fresh draw is made every step.',
  params: z.object({
    dim: dim(20, 'number of dimensions'),
    mean: z.number().default(0),
    std: z.number().positive().default(1),
  }),
  inputs: () => [],
  outputs: () => [{ name: 'z', type: 'latent' }],
  infer: (p) => ({ z: { type: 'latent', shape: [BATCH, p.dim] } }),
  build({ tf, params }) {
    return {
      forward: (_i, ctx) => ({
        z: tf.randomNormal([ctx.batchSize, params.dim], params.mean, params.std, 'float32', ctx.nextSeed()),
      }),
    };
  },
});

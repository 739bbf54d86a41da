import { z } from 'zod';
import { BATCH } from '../shape';
import { defineKind } from './types';
import { dim } from './common';

export const sampleUniform = defineKind({
  kind: 'sample.uniform',
  title: 'Uniform noise',
  category: 'sampler',
  summary: 'z ~ U(low, high) in every dimension',
  doc:
    'Draws each coordinate uniformly between low and high. InfoGAN uses U(−1, 1) for its continuous codes; ' +
    'an AAE can be pushed toward a uniform prior instead of a gaussian one, which shows that its prior is ' +
    'a choice, not a fixed part of the model.',
  params: z.object({
    dim: dim(2, 'number of dimensions'),
    low: z.number().default(-1),
    high: z.number().default(1),
  }),
  inputs: () => [],
  outputs: () => [{ name: 'z', type: 'latent' }],
  infer: (p) => ({ z: { type: 'latent', shape: [BATCH, p.dim] } }),
  build({ tf, params }) {
    return {
      forward: (_i, ctx) => ({
        z: tf.randomUniform([ctx.batchSize, params.dim], params.low, params.high, 'float32', ctx.nextSeed()),
      }),
    };
  },
});

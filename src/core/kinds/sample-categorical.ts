import { z } from 'zod';
import { BATCH } from '../shape';
import { mulberry32 } from '../random';
import { defineKind } from './types';
import { dim } from './common';

export const sampleCategorical = defineKind({
  kind: 'sample.categorical',
  title: 'Categorical code',
  category: 'sampler',
  summary: 'A one-hot class drawn uniformly from K classes',
  doc:
    'Draws one of K classes with equal probability and gives it as a one-hot vector. It is the discrete ' +
    'code of InfoGAN (K = 10 for MNIST, hoping each value comes to mean one digit) and the class input of ' +
    'a conditional GAN.',
  params: z.object({
    classes: dim(10, 'number of classes K'),
    fixed: z
      .number()
      .int()
      .min(-1)
      .default(-1)
      .describe('−1 draws at random; k gives class k to every sample'),
  }),
  inputs: () => [],
  outputs: () => [{ name: 'c', type: 'code' }],
  infer: (p) => ({ c: { type: 'code', shape: [BATCH, p.classes] } }),
  build({ tf, params }) {
    return {
      forward(_i, ctx) {
        const rng = mulberry32(ctx.nextSeed());
        const idx = Int32Array.from({ length: ctx.batchSize }, () =>
          params.fixed >= 0 ? params.fixed % params.classes : Math.floor(rng() * params.classes),
        );
        return { c: tf.oneHot(tf.tensor1d(idx, 'int32'), params.classes).toFloat() };
      },
    };
  },
});

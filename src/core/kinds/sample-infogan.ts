import { z } from 'zod';
import { BATCH } from '../shape';
import { mulberry32 } from '../random';
import { defineKind } from './types';
import { dim } from './common';

export const sampleInfoganCode = defineKind({
  kind: 'sample.infogan_code',
  title: 'InfoGAN code',
  category: 'sampler',
  summary: 'Noise plus a categorical and continuous codes, as InfoGAN feeds its generator',
  doc:
    'The input of the InfoGAN generator (Chen et al. 2016): incompressible noise (62 dims on MNIST, ' +
    'uniform in [−1, 1] as in openai/InfoGAN, or standard normal), a ' +
    'categorical code (one of 10, one-hot) and continuous codes (2, uniform in [−1, 1]). Only the codes ' +
    'are tied to the data by the mutual-information loss; the noise is free. The z output is all three ' +
    'concatenated, ready for the generator; cat and cont go to the information losses.',
  params: z.object({
    noise: dim(62, 'size of the unstructured noise'),
    noiseDist: z
      .enum(['uniform', 'gaussian'])
      .default('uniform')
      .describe('the noise: U(−1, 1) as in the reference code, or N(0, 1)'),
    categories: dim(10, 'classes of the categorical code'),
    continuous: z.number().int().min(0).max(64).default(2).describe('number of continuous codes'),
    fixed: z.number().int().min(-1).default(-1).describe('−1 draws the category at random; k fixes it'),
  }),
  inputs: () => [],
  outputs: (p) => [
    { name: 'z', type: 'latent', doc: 'noise ‖ categorical ‖ continuous' },
    { name: 'cat', type: 'code' },
    ...(p.continuous > 0 ? [{ name: 'cont', type: 'code' as const }] : []),
  ],
  infer: (p) => ({
    z: { type: 'latent', shape: [BATCH, p.noise + p.categories + p.continuous] },
    cat: { type: 'code', shape: [BATCH, p.categories] },
    ...(p.continuous > 0 ? { cont: { type: 'code', shape: [BATCH, p.continuous] } } : {}),
  }),
  build({ tf, params }) {
    return {
      forward(_i, ctx) {
        const n = ctx.batchSize;
        const rng = mulberry32(ctx.nextSeed());
        const idx = Int32Array.from({ length: n }, () =>
          params.fixed >= 0 ? params.fixed % params.categories : Math.floor(rng() * params.categories),
        );
        const noise =
          params.noiseDist === 'uniform'
            ? tf.randomUniform([n, params.noise], -1, 1, 'float32', ctx.nextSeed())
            : tf.randomNormal([n, params.noise], 0, 1, 'float32', ctx.nextSeed());
        const cat = tf.oneHot(tf.tensor1d(idx, 'int32'), params.categories).toFloat();
        if (params.continuous === 0) return { z: tf.concat([noise, cat], 1), cat };
        const cont = tf.randomUniform([n, params.continuous], -1, 1, 'float32', ctx.nextSeed());
        return { z: tf.concat([noise, cat, cont], 1), cat, cont };
      },
    };
  },
});

import { z } from 'zod';
import { BATCH, need } from '../shape';
import { defineKind, expectKind, expectTensor } from './types';
import type { Tensor } from './types';
import { perSample } from './diffusion-forward';

export const reverseSampler = defineKind({
  kind: 'diffusion.sampler',
  title: 'Reverse sampler p(x_{t−1} | x_t)',
  category: 'diffusion',
  summary: 'Generates data from noise by running the denoiser T times',
  doc:
    'Ancestral sampling (Ho et al. 2020, Algorithm 2): start from x_T ~ N(0, I) and step back to x_0. At ' +
    'each step the denoiser’s ε̂ gives an estimate of x_0, the mean of q(x_{t−1} | x_t, x_0) is taken at ' +
    'that estimate, and fresh noise of variance σ_t² is added (σ_t² = β_t, or the posterior variance β̃_t). ' +
    'It runs only when sampling, never in a training step, and calls the denoiser T times.',
  params: z.object({
    variance: z.enum(['beta', 'posterior']).default('beta').describe('σ_t² = β_t, or β̃_t'),
    clip: z.number().min(0).default(1).describe('clip the x_0 estimate to [−clip, clip]; 0 turns it off'),
  }),
  sampleOnly: true,
  inputs: () => [
    { name: 'schedule', type: 'schedule' },
    { name: 'model', type: 'network', doc: 'the denoiser' },
  ],
  outputs: () => [{ name: 'x', type: 'data', doc: 'generated samples x_0' }],
  infer(_p, inputs) {
    need(inputs, 'schedule');
    const m = need(inputs, 'model');
    return { x: { type: 'data', shape: [BATCH, ...m.shape.slice(1)] } };
  },
  build({ tf, params, inputs }) {
    const shape = need(inputs, 'model').shape.slice(1) as number[];
    return {
      forward(i, ctx) {
        const s = expectKind(i.schedule, 'schedule', 'schedule');
        const model = expectKind(i.model, 'network', 'model');
        let x: Tensor = tf.randomNormal([ctx.batchSize, ...shape], 0, 1, 'float32', ctx.nextSeed());
        for (let step = s.T - 1; step >= 0; step--) {
          const next = tf.tidy(() => {
            const t = tf.fill([ctx.batchSize], step, 'int32');
            const eps = expectTensor(model.call({ x, t }, { ...ctx, training: false }).eps, 'eps');
            const r = x.rank;
            const ab = perSample(tf, s.alphaBars, t, r);
            const abPrev = perSample(tf, s.alphaBarsPrev, t, r);
            const beta = perSample(tf, s.betas, t, r);
            const alpha = perSample(tf, s.alphas, t, r);
            let x0 = tf.div(tf.sub(x, tf.mul(tf.sqrt(tf.sub(1, ab)), eps)), tf.sqrt(ab));
            if (params.clip > 0) x0 = tf.clipByValue(x0, -params.clip, params.clip);
            // Posterior mean of q(x_{t-1} | x_t, x_0) at the estimated x_0.
            const c0 = tf.div(tf.mul(tf.sqrt(abPrev), beta), tf.sub(1, ab));
            const ct = tf.div(tf.mul(tf.sqrt(alpha), tf.sub(1, abPrev)), tf.sub(1, ab));
            const mean = tf.add(tf.mul(c0, x0), tf.mul(ct, x));
            if (step === 0) return mean;
            const variance =
              params.variance === 'beta' ? beta : tf.div(tf.mul(beta, tf.sub(1, abPrev)), tf.sub(1, ab));
            const z = tf.randomNormal(x.shape, 0, 1, 'float32', ctx.nextSeed());
            return tf.add(mean, tf.mul(tf.sqrt(variance), z));
          });
          x.dispose();
          x = next;
          // Eleven snapshots from x_T to x_0 (the first right after the first step back).
          const every = Math.max(1, Math.floor(s.T / 10));
          if (ctx.record && (step % every === 0 || step === s.T - 1)) ctx.record('trajectory', x.clone());
        }
        return { x };
      },
    };
  },
});

import { z } from 'zod';
import { BATCH, ShapeError, need } from '../shape';
import { defineKind, expectKind, expectTensor } from './types';
import type { Tensor } from './types';

/** One reverse step: the model is asked at timestep t; ᾱ at t and at the step it lands on. */
export interface ReverseStep {
  t: number;
  ab: number;
  abPrev: number;
}

/**
 * The timesteps the sampler visits, from T − 1 down to 0. With `steps` 0 (or T) that is every one of
 * them. With fewer, they are spread evenly over 0 … T − 1 (both ends kept) and the chain between
 * them is respaced as in Nichol & Dhariwal 2021, §4: ᾱ is kept at the visited steps, so each jump's
 * β is 1 − ᾱ_t / ᾱ_prev. With every step this gives back β_t exactly.
 */
export function reverseSteps(alphaBars: Float64Array, steps: number): ReverseStep[] {
  const T = alphaBars.length;
  const S = steps > 0 ? Math.min(steps, T) : T;
  const stride = S === 1 ? 0 : (T - 1) / (S - 1);
  const taken = S === 1 ? [T - 1] : Array.from({ length: S }, (_, i) => Math.round(i * stride));
  return taken
    .map((t, k) => ({ t, ab: alphaBars[t]!, abPrev: k === 0 ? 1 : alphaBars[taken[k - 1]!]! }))
    .reverse();
}

export const reverseSampler = defineKind({
  kind: 'diffusion.sampler',
  title: 'Reverse sampler p(x_{t−1} | x_t)',
  category: 'diffusion',
  summary: 'Generates data from noise by running the denoiser T times',
  doc:
    'Ancestral sampling (Ho et al. 2020, Algorithm 2): start from x_T ~ N(0, I) and step back to x_0. At ' +
    'each step the denoiser’s ε̂ gives an estimate of x_0, the mean of q(x_{t−1} | x_t, x_0) is taken at ' +
    'that estimate, and fresh noise of variance σ_t² is added (σ_t² = β_t, or the posterior variance β̃_t). ' +
    'It runs only when sampling, never in a training step, and calls the denoiser once a step: T times, ' +
    'or fewer when `steps` skips evenly through the schedule (Nichol & Dhariwal 2021), which is faster ' +
    'and a little less faithful.',
  params: z.object({
    variance: z.enum(['beta', 'posterior']).default('beta').describe('σ_t² = β_t, or β̃_t'),
    clip: z.number().min(0).default(1).describe('clip the x_0 estimate to [−clip, clip]; 0 turns it off'),
    steps: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'reverse steps; 0: all T. Fewer skip evenly through the schedule: faster, with samples a little wider (σ² = β_t) or narrower (β̃_t)',
      ),
  }),
  sampleOnly: true,
  inputs: () => [
    { name: 'schedule', type: 'schedule' },
    { name: 'model', type: 'network', doc: 'the denoiser' },
  ],
  outputs: () => [{ name: 'x', type: 'data', doc: 'generated samples x_0' }],
  infer(p, inputs) {
    const T = need(inputs, 'schedule').shape[0];
    if (typeof T === 'number' && p.steps > T)
      throw new ShapeError(`steps (${p.steps}) is more than the schedule's T = ${T}`, 'schedule');
    const m = need(inputs, 'model');
    return { x: { type: 'data', shape: [BATCH, ...m.shape.slice(1)] } };
  },
  build({ tf, params, inputs }) {
    const shape = need(inputs, 'model').shape.slice(1) as number[];
    return {
      forward(i, ctx) {
        const s = expectKind(i.schedule, 'schedule', 'schedule');
        const model = expectKind(i.model, 'network', 'model');
        const steps = reverseSteps(s.alphaBarsHost, params.steps);
        const every = Math.max(1, Math.floor(steps.length / 10));
        let x: Tensor = tf.randomNormal([ctx.batchSize, ...shape], 0, 1, 'float32', ctx.nextSeed());
        steps.forEach(({ t: step, ab, abPrev }, k) => {
          const beta = 1 - ab / abPrev;
          const next = tf.tidy(() => {
            const t = tf.fill([ctx.batchSize], step, 'int32');
            const eps = expectTensor(model.call({ x, t }, { ...ctx, training: false }).eps, 'eps');
            let x0 = tf.div(tf.sub(x, tf.mul(eps, Math.sqrt(1 - ab))), Math.sqrt(ab));
            if (params.clip > 0) x0 = tf.clipByValue(x0, -params.clip, params.clip);
            // Posterior mean of q(x_{t-1} | x_t, x_0) at the estimated x_0.
            const c0 = (Math.sqrt(abPrev) * beta) / (1 - ab);
            const ct = (Math.sqrt(1 - beta) * (1 - abPrev)) / (1 - ab);
            const mean = tf.add(tf.mul(x0, c0), tf.mul(x, ct));
            if (k === steps.length - 1) return mean;
            const variance = params.variance === 'beta' ? beta : (beta * (1 - abPrev)) / (1 - ab);
            const z = tf.randomNormal(x.shape, 0, 1, 'float32', ctx.nextSeed());
            return tf.add(mean, tf.mul(z, Math.sqrt(variance)));
          });
          x.dispose();
          x = next;
          // Eleven snapshots from x_T to x_0 (the first right after the first step back).
          const left = steps.length - 1 - k;
          if (ctx.record && (left % every === 0 || k === 0)) ctx.record('trajectory', x.clone());
        });
        return { x };
      },
    };
  },
});

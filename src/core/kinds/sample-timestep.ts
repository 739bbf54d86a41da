import { z } from 'zod';
import { BATCH, need } from '../shape';
import { mulberry32 } from '../random';
import { defineKind, expectKind } from './types';

export const sampleTimestep = defineKind({
  kind: 'sample.timestep',
  title: 'Timestep sampler',
  category: 'diffusion',
  summary: 't ~ Uniform{0, …, T−1}, one per sample',
  doc:
    'Draws a diffusion step t for each sample in the batch, uniformly over the schedule’s T steps. DDPM ' +
    'trains every noise level at once this way: each step of training is a random mix of nearly clean and ' +
    'nearly pure-noise inputs, and the denoiser is told which through t.',
  params: z.object({}),
  inputs: () => [{ name: 'schedule', type: 'schedule' }],
  outputs: () => [{ name: 't', type: 'timestep' }],
  infer(_p, inputs) {
    need(inputs, 'schedule');
    return { t: { type: 'timestep', shape: [BATCH] } };
  },
  build({ tf }) {
    return {
      forward(i, ctx) {
        const s = expectKind(i.schedule, 'schedule', 'schedule');
        const rng = mulberry32(ctx.nextSeed());
        const t = Int32Array.from({ length: ctx.batchSize }, () => Math.floor(rng() * s.T));
        return { t: tf.tensor1d(t, 'int32') };
      },
    };
  },
});

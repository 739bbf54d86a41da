import { z } from 'zod';
import { ShapeError, need } from '../shape';
import { defineKind, expectKind, expectTensor } from './types';
import type { Tensor, TF } from './types';

/** Gathers a per-timestep constant for each sample and shapes it to broadcast over x. */
export function perSample(tf: TF, table: Tensor, t: Tensor, rank: number): Tensor {
  return tf.gather(table, t).reshape([-1, ...new Array<number>(rank - 1).fill(1)]);
}

export const forwardDiffusion = defineKind({
  kind: 'diffusion.forward',
  title: 'Forward noising q(x_t | x_0)',
  category: 'diffusion',
  summary: 'x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε in one jump',
  doc:
    'Noises clean data to step t directly: x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε with ε ~ N(0, I). No learning ' +
    'happens here; it makes the training pairs for the denoiser, whose target is the very ε drawn here ' +
    '(the noise output). Small t leaves the digit visible; at t near T only noise is left.',
  params: z.object({}),
  inputs: () => [
    { name: 'x0', type: 'data', doc: 'clean data' },
    { name: 't', type: 'timestep' },
    { name: 'schedule', type: 'schedule' },
  ],
  outputs: () => [
    { name: 'xt', type: 'data', doc: 'noised data' },
    { name: 'noise', type: 'data', doc: 'the ε that was added' },
  ],
  infer(_p, inputs) {
    const x0 = need(inputs, 'x0');
    const t = need(inputs, 't');
    need(inputs, 'schedule');
    if (t.shape.length !== 1) throw new ShapeError(`'t' must be [B]`, 't');
    return { xt: { type: 'data', shape: x0.shape }, noise: { type: 'data', shape: x0.shape } };
  },
  build({ tf }) {
    return {
      forward(i, ctx) {
        const x0 = expectTensor(i.x0, 'x0');
        const t = expectTensor(i.t, 't');
        const s = expectKind(i.schedule, 'schedule', 'schedule');
        const ab = perSample(tf, s.alphaBars, t, x0.rank);
        const noise = tf.randomNormal(x0.shape, 0, 1, 'float32', ctx.nextSeed());
        const xt = tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), noise));
        return { xt, noise };
      },
    };
  },
});

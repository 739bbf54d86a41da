import { z } from 'zod';
import { BATCH } from '../shape';
import type { Rng } from '../random';
import { gaussian, mulberry32 } from '../random';
import { defineKind } from './types';

export type Toy = 'ring8' | 'swissroll' | 'moons';

/** One point of a 2D toy set; scaled so each set spans roughly [-2, 2]. */
export function toyPoint(name: Toy, rng: Rng, noise: number): [number, number] {
  switch (name) {
    case 'ring8': {
      const k = Math.floor(rng() * 8);
      const a = (2 * Math.PI * k) / 8;
      return [2 * Math.cos(a) + noise * gaussian(rng), 2 * Math.sin(a) + noise * gaussian(rng)];
    }
    case 'swissroll': {
      const t = 1.5 * Math.PI * (1 + 2 * rng());
      return [(t * Math.cos(t)) / 7 + noise * gaussian(rng), (t * Math.sin(t)) / 7 + noise * gaussian(rng)];
    }
    case 'moons': {
      const a = Math.PI * rng();
      const upper = rng() < 0.5;
      const x = upper ? Math.cos(a) : 1 - Math.cos(a);
      const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
      return [1.6 * (x - 0.5) + noise * gaussian(rng), 1.6 * (y - 0.25) + noise * gaussian(rng)];
    }
  }
}

export const TOY_MODE_STD = 0.02;

export const toy2d = defineKind({
  kind: 'data.toy2d',
  title: '2D toy data',
  category: 'data',
  summary: 'Points from 8 gaussians on a ring, a swiss roll or two moons',
  doc:
    'Small two-dimensional data sets that train in seconds and can be drawn in full: eight gaussians on a ' +
    'ring of radius 2 (the classic test of mode collapse: a GAN that finds only some of the eight modes ' +
    'shows it at once), a swiss roll, and two moons. Each point is drawn fresh, so the model never sees ' +
    'the same batch twice.',
  params: z.object({
    dataset: z.enum(['ring8', 'swissroll', 'moons']).default('ring8').describe('which toy set'),
    noise: z.number().min(0).max(1).default(TOY_MODE_STD).describe('std of gaussian noise on each point'),
  }),
  inputs: () => [],
  outputs: () => [{ name: 'x', type: 'data', doc: 'a batch of points' }],
  infer: () => ({ x: { type: 'data', shape: [BATCH, 2] } }),
  build({ tf, params }) {
    return {
      forward(_inputs, ctx) {
        const rng = mulberry32(ctx.nextSeed());
        const n = ctx.batchSize;
        const pts = new Float32Array(n * 2);
        for (let i = 0; i < n; i++) {
          const [x, y] = toyPoint(params.dataset, rng, params.noise);
          pts[2 * i] = x;
          pts[2 * i + 1] = y;
        }
        return { x: tf.tensor2d(pts, [n, 2]) };
      },
    };
  },
});

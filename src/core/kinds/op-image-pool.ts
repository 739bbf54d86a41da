import { z } from 'zod';
import { need } from '../shape';
import { stopGradient } from '../nn/build';
import { mulberry32 } from '../random';
import { defineKind, expectTensor } from './types';
import type { Tensor } from './types';

export const imagePool = defineKind({
  kind: 'op.image_pool',
  title: 'Image pool',
  category: 'op',
  summary: 'Shows the discriminator a mix of new and older fakes',
  doc:
    'A history of generated images (Shrivastava et al. 2017; used by CycleGAN with 50 images). Each image ' +
    'passing through is, with probability ½ once the pool is full, swapped for a stored older one, and ' +
    'the new one takes its place. The discriminator then judges a history of the generator, not only its ' +
    'latest output, which damps oscillation. Outside training it passes images through unchanged.',
  params: z.object({
    size: z.number().int().min(0).max(1000).default(50).describe('images kept; 0 turns it off'),
  }),
  inputs: () => [{ name: 'x', type: 'data' }],
  outputs: () => [{ name: 'y', type: 'data' }],
  infer(_p, inputs) {
    const x = need(inputs, 'x');
    return { y: { type: x.type, shape: x.shape } };
  },
  build({ tf, params }) {
    const pool: Tensor[] = [];
    return {
      forward(i, ctx) {
        const x = expectTensor(i.x, 'x');
        if (!ctx.training || params.size === 0) return { y: x };
        const rng = mulberry32(ctx.nextSeed());
        // The pool holds detached copies kept outside the step's tidy scope.
        const items = tf.unstack(stopGradient(tf, x));
        const out = items.map((img) => {
          if (pool.length < params.size) {
            pool.push(tf.keep(img.clone()));
            return img;
          }
          if (rng() < 0.5) return img;
          const k = Math.floor(rng() * pool.length);
          const old = pool[k]!;
          pool[k] = tf.keep(img.clone());
          const kept = old.clone();
          old.dispose();
          return kept;
        });
        return { y: tf.stack(out) };
      },
      dispose: () => pool.splice(0).forEach((t) => t.dispose()),
      state: {
        save: () => pool.slice(0, params.size),
        load: (values) => {
          pool.splice(0).forEach((t) => t.dispose());
          pool.push(...values.slice(0, params.size));
          values.slice(params.size).forEach((t) => t.dispose());
        },
      },
    };
  },
});

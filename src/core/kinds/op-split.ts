import { z } from 'zod';
import { ShapeError, need } from '../shape';
import type { TensorInfo } from '../shape';
import { defineKind, expectTensor } from './types';

export const split = defineKind({
  kind: 'op.split',
  title: 'Split',
  category: 'op',
  summary: 'Cuts a tensor along its last axis into parts of given sizes',
  doc:
    'The inverse of concatenate: cuts the last axis into consecutive parts of the sizes you list, e.g. ' +
    'a Q-network output of 12 into a 10-way categorical part and 2 continuous ones. The sizes must add up ' +
    'to the input’s last dimension.',
  params: z.object({
    sizes: z.array(z.number().int().min(1)).min(2).max(6).default([1, 1]).describe('size of each part'),
  }),
  inputs: () => [{ name: 'x', type: 'latent', accepts: ['data', 'latent', 'code', 'logits'] }],
  outputs: (p) => p.sizes.map((_, i) => ({ name: `part${i}`, type: 'latent' as const })),
  infer(p, inputs) {
    const x = need(inputs, 'x');
    const last = x.shape[x.shape.length - 1];
    const total = p.sizes.reduce((a, b) => a + b, 0);
    if (last !== total)
      throw new ShapeError(`the sizes add up to ${total} but 'x' has ${String(last)} on its last axis`, 'x');
    const out: Record<string, TensorInfo> = {};
    p.sizes.forEach((s, i) => (out[`part${i}`] = { type: x.type, shape: [...x.shape.slice(0, -1), s] }));
    return out;
  },
  build({ tf, params }) {
    return {
      forward(i) {
        const parts = tf.split(expectTensor(i.x, 'x'), params.sizes, -1);
        return Object.fromEntries(parts.map((t, k) => [`part${k}`, t]));
      },
    };
  },
});

import { z } from 'zod';
import { ShapeError, formatShape, need } from '../shape';
import { defineKind, expectTensor } from './types';

export const add = defineKind({
  kind: 'op.add',
  title: 'Add',
  category: 'op',
  summary: 'a + b, element by element (with a scale on b)',
  doc:
    'Adds two tensors of the same shape, b first multiplied by a scale. Useful for residual connections ' +
    'drawn by hand, for mixing a signal with noise, or (scale −1) for taking a difference.',
  params: z.object({ scale: z.number().default(1).describe('multiplies b before adding') }),
  inputs: () => [
    { name: 'a', type: 'data', accepts: ['data', 'latent', 'code', 'logits'] },
    { name: 'b', type: 'data', accepts: ['data', 'latent', 'code', 'logits'] },
  ],
  outputs: () => [{ name: 'y', type: 'data' }],
  infer(_p, inputs) {
    const a = need(inputs, 'a');
    const b = need(inputs, 'b');
    if (a.shape.join() !== b.shape.join()) {
      throw new ShapeError(`'b' ${formatShape(b.shape)} must match 'a' ${formatShape(a.shape)}`, 'b');
    }
    return { y: { type: a.type, shape: a.shape } };
  },
  build({ tf, params }) {
    return {
      forward: (i) => ({
        y: tf.add(expectTensor(i.a, 'a'), tf.mul(expectTensor(i.b, 'b'), params.scale)),
      }),
    };
  },
});

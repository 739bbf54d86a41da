import { z } from 'zod';
import { BATCH } from '../shape';
import { mulberry32 } from '../random';
import { defineKind } from './types';
import { range } from './common';
import { mnistBatch } from './mnist-batch';

export const mnist = defineKind({
  kind: 'data.mnist',
  title: 'MNIST',
  category: 'data',
  summary: 'Handwritten digits, 28×28 grey, 60k train / 10k test',
  doc:
    'Real MNIST digits (LeCun et al. 1998) drawn at random each step. Grey values lie in [0, 1] (or [-1, 1] ' +
    'for tanh generators). Dynamic binarization redraws each pixel as 0 or 1 with its grey value as the ' +
    'probability every time a digit is used, which makes the Bernoulli likelihood of a VAE a true ' +
    'log-likelihood in nats and acts as a regulariser. The label output is the digit as a one-hot code.',
  params: z.object({
    split: z.enum(['train', 'test']).default('train').describe('which part of MNIST to draw from'),
    binarize: z.enum(['none', 'dynamic']).default('none').describe('redraw pixels as 0/1 each time'),
    range,
  }),
  inputs: () => [],
  outputs: () => [
    { name: 'x', type: 'data', doc: 'a batch of digits' },
    { name: 'label', type: 'code', doc: 'their classes, one-hot' },
  ],
  infer: () => ({
    x: { type: 'data', shape: [BATCH, 28, 28, 1] },
    label: { type: 'code', shape: [BATCH, 10] },
  }),
  // The test set is always loaded too: views show held-out digits (a latent map of the test set).
  datasets: (p) => [p.split === 'train' ? 'mnist-train' : 'mnist-test', 'mnist-test'],
  build({ tf, data, params }) {
    const set = data.get(params.split === 'train' ? 'mnist-train' : 'mnist-test');
    const test = data.get('mnist-test');
    return {
      forward(_inputs, ctx) {
        const rng = mulberry32(ctx.nextSeed());
        const b = mnistBatch(
          ctx.split === 'test' ? test : set,
          ctx.batchSize,
          rng,
          params.binarize === 'dynamic',
          params.range,
        );
        return {
          x: tf.tensor4d(b.images, [ctx.batchSize, 28, 28, 1]),
          label: tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10).toFloat(),
        };
      },
    };
  },
});

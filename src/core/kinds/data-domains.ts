import { z } from 'zod';
import { BATCH } from '../shape';
import { mulberry32 } from '../random';
import { defineKind } from './types';
import { range } from './common';
import { invert, mnistBatch, thicken } from './mnist-batch';

export const TRANSFORMS = { invert, thicken } as const;

export const mnistDomains = defineKind({
  kind: 'data.mnist_domains',
  title: 'MNIST domains A / B',
  category: 'data',
  summary: 'Two unpaired image domains for translation (CycleGAN)',
  doc:
    'Two image domains made from MNIST for unpaired translation. Domain A is training digits 0–29,999 as ' +
    'they are; domain B is a transform of the other half, 30,000–59,999: colour-inverted, or thickened by a ' +
    '3×3 dilation. On the training split A and B never show the same digit, so nothing is paired, as in ' +
    'CycleGAN. On the test split B is the transform of the very digit in A, which gives the true answer ' +
    'for measuring a translation.',
  params: z.object({
    transform: z.enum(['invert', 'thicken']).default('invert').describe('how domain B is made from MNIST'),
    split: z.enum(['train', 'test']).default('train').describe('train: unpaired halves; test: true pairs'),
    range: range.default('-1..1'),
  }),
  inputs: () => [],
  outputs: () => [
    { name: 'a', type: 'data', doc: 'a batch from domain A' },
    { name: 'b', type: 'data', doc: 'a batch from domain B' },
  ],
  infer: () => ({
    a: { type: 'data', shape: [BATCH, 28, 28, 1] },
    b: { type: 'data', shape: [BATCH, 28, 28, 1] },
  }),
  datasets: (p) => [p.split === 'train' ? 'mnist-train' : 'mnist-test'],
  build({ tf, data, params }) {
    const set = data.get(params.split === 'train' ? 'mnist-train' : 'mnist-test');
    const t = TRANSFORMS[params.transform];
    return {
      forward(_inputs, ctx) {
        const n = ctx.batchSize;
        const seed = ctx.nextSeed();
        const half = Math.floor(set.count / 2);
        const train = params.split === 'train';
        const a = mnistBatch(set, n, mulberry32(seed), false, params.range, train ? [0, half] : undefined);
        // Same seed on the test split: the same digits, so B is the true pair of A.
        const bRange: [number, number] | undefined = train ? [half, set.count] : undefined;
        const b = mnistBatch(
          set,
          n,
          mulberry32(train ? seed ^ 0x5bd1e995 : seed),
          false,
          params.range,
          bRange,
          t,
        );
        return { a: tf.tensor4d(a.images, [n, 28, 28, 1]), b: tf.tensor4d(b.images, [n, 28, 28, 1]) };
      },
    };
  },
});

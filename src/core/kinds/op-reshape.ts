import { z } from 'zod';
import { ShapeError, featureSize, formatShape, need } from '../shape';
import { defineKind, expectTensor } from './types';

const ANY = ['data', 'latent', 'code', 'logits'] as const;

export const reshape = defineKind({
  kind: 'op.reshape',
  title: 'Reshape',
  category: 'op',
  summary: 'Gives each sample a new shape with the same number of values',
  doc:
    'Rearranges each sample’s values into a new shape, keeping the batch: [B, 784] ↔ [B, 28, 28, 1]. The ' +
    'number of values per sample must stay the same.',
  params: z.object({
    shape: z
      .array(z.number().int().min(1))
      .min(1)
      .max(4)
      .default([28, 28, 1])
      .describe('new shape of one sample'),
  }),
  inputs: () => [{ name: 'x', type: 'data', accepts: ANY }],
  outputs: () => [{ name: 'y', type: 'data' }],
  infer(p, inputs) {
    const x = need(inputs, 'x');
    const n = featureSize(x.shape, "'x'");
    const m = p.shape.reduce((a, b) => a * b, 1);
    if (n !== m)
      throw new ShapeError(
        `${formatShape(x.shape)} has ${n} values per sample, [${p.shape}] needs ${m}`,
        'x',
      );
    return { y: { type: x.type, shape: [x.shape[0]!, ...p.shape] } };
  },
  build({ params }) {
    return { forward: (i) => ({ y: expectTensor(i.x, 'x').reshape([-1, ...params.shape]) }) };
  },
});

export const flatten = defineKind({
  kind: 'op.flatten',
  title: 'Flatten',
  category: 'op',
  summary: 'Turns each sample into a flat vector [B, D]',
  doc:
    'Flattens everything after the batch: an image [B, 28, 28, 1] becomes [B, 784], as an MLP expects. ' +
    'Network nodes with an MLP architecture flatten their input themselves; use this node to wire an ' +
    'image into a loss or an op that wants vectors.',
  params: z.object({}),
  inputs: () => [{ name: 'x', type: 'data', accepts: ANY }],
  outputs: () => [{ name: 'y', type: 'data' }],
  infer(_p, inputs) {
    const x = need(inputs, 'x');
    return { y: { type: x.type, shape: [x.shape[0]!, featureSize(x.shape, "'x'")] } };
  },
  build() {
    return {
      forward(i) {
        const x = expectTensor(i.x, 'x');
        return { y: x.reshape([x.shape[0]!, -1]) };
      },
    };
  },
});

import { z } from 'zod';
import { ShapeError, formatShape, need } from '../shape';
import type { TensorInfo } from '../shape';
import { defineKind, expectTensor, isTensorValue } from './types';
import type { PortType } from '../shape';

const WIRES: PortType[] = ['data', 'latent', 'code', 'logits'];
const PORTS = ['a', 'b', 'c', 'd'] as const;

export const concat = defineKind({
  kind: 'op.concat',
  title: 'Concatenate',
  category: 'op',
  summary: 'Joins tensors along the last axis (e.g. noise ‖ code)',
  doc:
    'Puts tensors side by side along their last axis: [B, 62] and [B, 12] become [B, 74]. This is how a ' +
    'generator is conditioned on a code or a class: the code is simply appended to its noise. All inputs ' +
    'must agree on every other dimension. The output takes the type of the first input.',
  params: z.object({}),
  inputs: () => PORTS.map((name, i) => ({ name, type: 'latent', accepts: WIRES, optional: i >= 2 })),
  outputs: () => [{ name: 'y', type: 'latent' }],
  infer(_p, inputs) {
    const first = need(inputs, 'a');
    const parts = PORTS.map((p) => [p, inputs[p]] as const).filter(
      (x): x is [(typeof PORTS)[number], TensorInfo] => Boolean(x[1]),
    );
    need(inputs, 'b');
    let last = 0;
    for (const [port, info] of parts) {
      const d = info.shape[info.shape.length - 1];
      if (
        info.shape.length !== first.shape.length ||
        info.shape.slice(0, -1).join() !== first.shape.slice(0, -1).join()
      )
        throw new ShapeError(
          `'${port}' ${formatShape(info.shape)} does not line up with 'a' ${formatShape(first.shape)}`,
          port,
        );
      if (typeof d !== 'number') throw new ShapeError(`'${port}' has a symbolic last dimension`, port);
      last += d;
    }
    return { y: { type: first.type, shape: [...first.shape.slice(0, -1), last] } };
  },
  build({ tf }) {
    return {
      forward(i) {
        const parts = PORTS.map((p) => i[p]).filter(isTensorValue);
        if (parts.length < 2) expectTensor(undefined, 'b');
        return { y: tf.concat(parts, -1) };
      },
    };
  },
});

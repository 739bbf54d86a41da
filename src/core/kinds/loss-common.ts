import { z } from 'zod';
import { need, requireSameShape } from '../shape';
import type { Inputs, KindDef, PortSpec, Tensor, TF, Value } from './types';
import { defineKind } from './types';
import { weight } from './common';

interface LossText {
  kind: string;
  title: string;
  summary: string;
  doc: string;
}

/**
 * Every loss outputs an unweighted scalar (so curves read in their own units, e.g. nats); the phase
 * multiplies it by the node's weight when it sums its losses.
 */
export function defineLoss<E extends z.ZodRawShape>(
  text: LossText,
  extra: E,
  ports: (p: z.infer<z.ZodObject<E>> & { weight: number }) => PortSpec[],
  check: (p: z.infer<z.ZodObject<E>> & { weight: number }, inputs: Inputs) => void,
  compute: (
    tf: TF,
    p: z.infer<z.ZodObject<E>> & { weight: number },
    i: Record<string, Value | undefined>,
  ) => Tensor,
  defaultWeight = 1,
): KindDef<z.infer<z.ZodObject<E>> & { weight: number }> {
  const params = z.object({ weight: weight.default(defaultWeight), ...extra }) as unknown as z.ZodType<
    z.infer<z.ZodObject<E>> & { weight: number }
  >;
  return defineKind({
    ...text,
    category: 'loss',
    params,
    inputs: ports,
    outputs: () => [{ name: 'loss', type: 'loss' }],
    infer(p, inputs) {
      check(p, inputs);
      return { loss: { type: 'loss', shape: [] } };
    },
    build({ tf, params: p }) {
      return { forward: (i) => ({ loss: compute(tf, p, i) }) };
    },
  });
}

export function pairCheck(a: string, b: string) {
  return (_p: unknown, inputs: Inputs) => requireSameShape(need(inputs, a), a, need(inputs, b), b);
}

/** Sum over everything but the batch, mean over the batch: a per-sample quantity such as nats. */
export function sumPerSample(tf: TF, x: Tensor): Tensor {
  const axes = x.shape.slice(1).map((_, i) => i + 1);
  return tf.mean(axes.length ? tf.sum(x, axes) : x);
}

export const reduction = z
  .enum(['sum', 'mean'])
  .describe('sum: over each sample’s values, then mean over the batch (nats); mean: over all values');

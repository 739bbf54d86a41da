import { z } from 'zod';
import { buildLayers } from '../nn/build';
import { traceShapes } from '../nn/spec';
import { BATCH, featureSize, need } from '../shape';
import type { KindDef } from './types';
import { defineKind, expectTensor } from './types';
import { outputActivation } from './common';
import { networkParams, upBody } from './net-common';

const params = z.object({
  ...networkParams,
  channels: networkParams.channels.default([64, 32]),
  outShape: z
    .array(z.number().int().min(1).max(65536))
    .min(1)
    .max(3)
    .default([28, 28, 1])
    .describe('shape of one output: [H, W, C] for images, [D] for points'),
  output: outputActivation,
});
export type UpsamplerParams = z.infer<typeof params>;

interface Text {
  kind: string;
  title: string;
  summary: string;
  doc: string;
}

/** Decoders and generators share one body (latent → data); they differ in role and defaults. */
export function upsamplerKind(t: Text, defaults: Partial<UpsamplerParams>): KindDef<UpsamplerParams> {
  const withDefaults = params.extend(
    Object.fromEntries(
      Object.entries(defaults).map(([k, v]) => [
        k,
        (params.shape as Record<string, z.ZodType>)[k]!.default(v),
      ]),
    ),
  ) as unknown as z.ZodType<UpsamplerParams>;
  return defineKind<UpsamplerParams>({
    ...t,
    category: 'network',
    params: withDefaults,
    trainable: true,
    inputs: () => [{ name: 'z', type: 'latent', accepts: ['latent', 'code'] }],
    outputs: () => [{ name: 'x', type: 'data' }],
    infer(p, inputs) {
      const z = need(inputs, 'z');
      traceShapes([featureSize(z.shape, "'z'")], upBody(p, p.output));
      return { x: { type: 'data', shape: [BATCH, ...p.outShape] } };
    },
    build({ tf, vars, params: p, inputs }) {
      const inDim = featureSize(need(inputs, 'z').shape);
      const body = buildLayers(tf, vars, 'body', [inDim], upBody(p, p.output));
      return {
        forward: (i, ctx) => {
          const z = expectTensor(i.z, 'z');
          return { x: body(z.reshape([z.shape[0]!, inDim]), ctx) };
        },
      };
    },
  });
}

import { z } from 'zod';
import { ACTIVATIONS, NORMS } from '../nn/spec';
import type { Init } from './types';

export const weight = z.number().min(0).max(1000).default(1).describe('multiplies this loss in its phase');
export const activation = (d: (typeof ACTIVATIONS)[number]) =>
  z.enum(ACTIVATIONS).default(d).describe('non-linearity after each hidden layer');
export const norm = (d: (typeof NORMS)[number]) =>
  z.enum(NORMS).default(d).describe('normalisation after each hidden layer');
export const sizes = (d: number[], what = 'hidden layer widths') =>
  z.array(z.number().int().min(1).max(8192)).max(16).default(d).describe(what);
export const dim = (d: number, what = 'vector size') =>
  z.number().int().min(1).max(4096).default(d).describe(what);
export const imageShape = z
  .tuple([
    z.number().int().min(1).max(512),
    z.number().int().min(1).max(512),
    z.number().int().min(1).max(16),
  ])
  .default([28, 28, 1])
  .describe('output image height, width, channels');
export const range = z.enum(['0..1', '-1..1']).default('0..1').describe('pixel value range');
export const outputActivation = z
  .enum(['sigmoid', 'tanh', 'linear'])
  .default('sigmoid')
  .describe('last activation: sigmoid for [0, 1] pixels, tanh for [-1, 1]');

/**
 * How a network's weights start. he-glorot scales them to each layer's fan (He before ReLU, Glorot
 * otherwise); normal-0.02 is the N(0, 0.02) of DCGAN, which openai/InfoGAN and CycleGAN's code also
 * use; pytorch is PyTorch's default for Linear and Conv layers, weights and biases U(±1/√fan_in).
 */
export const INITS = ['he-glorot', 'normal-0.02', 'pytorch'] as const;
export type NetInit = (typeof INITS)[number];
export const init = z
  .enum(INITS)
  .default('he-glorot')
  .describe('initial weights: scaled to each layer (He, Glorot), N(0, 0.02) as in DCGAN, or as PyTorch does');

/** A network's init mode from its params (nodes without one keep their layers' own choice). */
export function initMode(params: Readonly<Record<string, unknown>>): NetInit {
  return (INITS as readonly unknown[]).includes(params.init) ? (params.init as NetInit) : 'he-glorot';
}

/** Fan-in as Keras and PyTorch count it: the receptive field times the input channels. */
export function fanIn(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1) * (shape[shape.length - 2] ?? 1);
}

/**
 * The init one variable gets under a network's mode. Layers ask for 'he' or 'glorot' for weights
 * (`…/kernel`) and 'zeros' for biases (`…/bias`); `fans` carries each layer's fan-in from its weights
 * to its bias, for pytorch.
 */
export function chooseInit(
  mode: NetInit,
  name: string,
  shape: readonly number[],
  asked: Init,
  fans: Map<string, number>,
): Init {
  const fanScaled = asked === 'he' || asked === 'glorot';
  if (mode === 'normal-0.02') return fanScaled ? { normal: 0.02 } : asked;
  if (mode !== 'pytorch') return asked;
  if (fanScaled && name.endsWith('/kernel')) {
    fans.set(name.slice(0, -'/kernel'.length), fanIn(shape));
    return { uniform: 1 / Math.sqrt(fanIn(shape)) };
  }
  const fan = name.endsWith('/bias') ? fans.get(name.slice(0, -'/bias'.length)) : undefined;
  return fan && asked === 'zeros' ? { uniform: 1 / Math.sqrt(fan) } : asked;
}

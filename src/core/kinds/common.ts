import { z } from 'zod';
import { ACTIVATIONS, NORMS } from '../nn/spec';

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
 * otherwise); normal-0.02 is the N(0, 0.02) of DCGAN, which openai/InfoGAN and CycleGAN's code also use.
 */
export const INITS = ['he-glorot', 'normal-0.02'] as const;
export type NetInit = (typeof INITS)[number];
export const init = z
  .enum(INITS)
  .default('he-glorot')
  .describe('initial weights: scaled to each layer (He, Glorot), or N(0, 0.02) as in DCGAN');

/** The σ of a network's N(0, σ) initial weights, or undefined when they are scaled to each layer. */
export function weightStd(params: Readonly<Record<string, unknown>>): number | undefined {
  return params.init === 'normal-0.02' ? 0.02 : undefined;
}

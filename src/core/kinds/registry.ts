import type { AnyKind } from './types';
import { mnist } from './data-mnist';
import { mnistDomains } from './data-domains';
import { toy2d } from './data-toy2d';
import { sampleGaussian } from './sample-gaussian';
import { sampleUniform } from './sample-uniform';
import { sampleCategorical } from './sample-categorical';
import { sampleInfoganCode } from './sample-infogan';
import { sampleMixture } from './sample-mixture';
import { sampleTimestep } from './sample-timestep';
import { reparameterize } from './latent-reparam';
import { encoder } from './net-encoder';
import { decoder } from './net-decoder';
import { generator } from './net-generator';
import { discriminator } from './net-discriminator';
import { translator } from './net-translator';
import { denoiser } from './net-denoiser';
import { schedule } from './diffusion-schedule';
import { forwardDiffusion } from './diffusion-forward';
import { reverseSampler } from './diffusion-sampler';
import { concat } from './op-concat';
import { split } from './op-split';
import { add } from './op-add';
import { flatten, reshape } from './op-reshape';
import { imagePool } from './op-image-pool';
import { reconstruction } from './loss-reconstruction';
import { klNormal } from './loss-kl';
import { adversarial } from './loss-adversarial';
import { cycle, identity } from './loss-cycle';
import { miCategorical, miGaussian } from './loss-mi';
import { diffusionMse } from './loss-diffusion';

/** Every node kind, in palette order. */
export const KINDS: readonly AnyKind[] = [
  mnist,
  mnistDomains,
  toy2d,
  sampleGaussian,
  sampleUniform,
  sampleCategorical,
  sampleMixture,
  sampleInfoganCode,
  reparameterize,
  encoder,
  decoder,
  generator,
  discriminator,
  translator,
  denoiser,
  schedule,
  sampleTimestep,
  forwardDiffusion,
  reverseSampler,
  concat,
  split,
  add,
  reshape,
  flatten,
  imagePool,
  reconstruction,
  klNormal,
  adversarial,
  cycle,
  identity,
  miCategorical,
  miGaussian,
  diffusionMse,
];

const BY_ID = new Map(KINDS.map((k) => [k.kind, k]));

export function getKind(id: string): AnyKind | undefined {
  return BY_ID.get(id);
}

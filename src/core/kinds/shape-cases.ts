import type { Inputs } from './types';
import type { PortType, Shape } from '../shape';

/** Shape cases per kind: the shape-rule test checks them, the builder test replays them on tensors. */
const t = (type: PortType, shape: Shape) => ({ type, shape });
const img = t('data', ['B', 28, 28, 1]);
const flat = (type: PortType, d: number) => t(type, ['B', d]);
const sched = t('schedule', [1000]);
const steps = t('timestep', ['B']);

export interface ShapeCase {
  kind: string;
  params?: Record<string, unknown>;
  inputs?: Inputs;
  out?: Record<string, Shape>;
  /** Instead of `out`: the shape rule must refuse, naming this port (or '' for none). */
  error?: { port: string; match: RegExp };
}

export const SHAPE_CASES: ShapeCase[] = [
  { kind: 'data.mnist', out: { x: ['B', 28, 28, 1], label: ['B', 10] } },
  { kind: 'data.mnist_domains', out: { a: ['B', 28, 28, 1], b: ['B', 28, 28, 1] } },
  { kind: 'data.toy2d', out: { x: ['B', 2] } },
  { kind: 'sample.gaussian', params: { dim: 62 }, out: { z: ['B', 62] } },
  { kind: 'sample.uniform', params: { dim: 3 }, out: { z: ['B', 3] } },
  { kind: 'sample.categorical', params: { classes: 7 }, out: { c: ['B', 7] } },
  { kind: 'sample.mixture', params: { dim: 2 }, out: { z: ['B', 2] } },
  { kind: 'sample.infogan_code', out: { z: ['B', 74], cat: ['B', 10], cont: ['B', 2] } },
  { kind: 'sample.infogan_code', params: { continuous: 0 }, out: { z: ['B', 72], cat: ['B', 10] } },
  { kind: 'sample.timestep', inputs: { schedule: sched }, out: { t: ['B'] } },
  { kind: 'sample.timestep', inputs: {}, error: { port: 'schedule', match: /not connected/ } },
  { kind: 'latent.reparameterize', inputs: { q: flat('gaussian', 20) }, out: { z: ['B', 20] } },
  {
    kind: 'latent.reparameterize',
    inputs: { q: flat('latent', 20) },
    error: { port: 'q', match: /gaussian/ },
  },
  { kind: 'net.encoder', inputs: { x: img }, out: { q: ['B', 20] } },
  {
    kind: 'net.encoder',
    params: { head: 'deterministic', latent: 8 },
    inputs: { x: img },
    out: { z: ['B', 8] },
  },
  {
    kind: 'net.encoder',
    params: { arch: 'conv', channels: [8, 16] },
    inputs: { x: img },
    out: { q: ['B', 20] },
  },
  {
    kind: 'net.encoder',
    params: { arch: 'conv' },
    inputs: { x: flat('data', 2) },
    error: { port: 'x', match: /image/ },
  },
  { kind: 'net.decoder', inputs: { z: flat('latent', 20) }, out: { x: ['B', 28, 28, 1] } },
  {
    kind: 'net.decoder',
    params: { outShape: [784] },
    inputs: { z: flat('latent', 20) },
    out: { x: ['B', 784] },
  },
  {
    kind: 'net.decoder',
    params: { arch: 'conv', channels: [16, 8] },
    inputs: { z: flat('latent', 4) },
    out: { x: ['B', 28, 28, 1] },
  },
  {
    kind: 'net.decoder',
    params: { arch: 'conv', channels: [8, 8, 8] },
    inputs: { z: flat('latent', 4) },
    error: { port: '', match: /divide by 2\^3/ },
  },
  { kind: 'net.generator', inputs: { z: flat('latent', 74) }, out: { x: ['B', 28, 28, 1] } },
  {
    kind: 'net.generator',
    params: { arch: 'mlp', outShape: [2], output: 'linear' },
    inputs: { z: flat('latent', 2) },
    out: { x: ['B', 2] },
  },
  { kind: 'net.discriminator', inputs: { x: img }, out: { logit: ['B', 1] } },
  { kind: 'net.discriminator', inputs: { x: flat('latent', 10) }, out: { logit: ['B', 1] } },
  {
    kind: 'net.discriminator',
    params: { arch: 'conv', qHead: true },
    inputs: { x: img },
    out: { logit: ['B', 1], q_cat: ['B', 10], q_cont: ['B', 2] },
  },
  {
    kind: 'net.discriminator',
    params: { arch: 'patch', channels: [16, 32] },
    inputs: { x: img },
    out: { logit: ['B', 7, 7, 1] },
  },
  { kind: 'net.translator', inputs: { x: img }, out: { y: ['B', 28, 28, 1] } },
  {
    kind: 'net.translator',
    params: { downsample: 3 },
    inputs: { x: img },
    error: { port: 'x', match: /divide by 8/ },
  },
  {
    kind: 'net.denoiser',
    params: { channels: 8 },
    inputs: { x: img, t: steps },
    out: { eps: ['B', 28, 28, 1], model: ['B', 28, 28, 1] },
  },
  {
    kind: 'net.denoiser',
    params: { arch: 'mlp' },
    inputs: { x: flat('data', 2), t: steps },
    out: { eps: ['B', 2] },
  },
  {
    kind: 'net.denoiser',
    inputs: { x: flat('data', 2), t: steps },
    error: { port: 'x', match: /U-Net needs images/ },
  },
  {
    kind: 'net.denoiser',
    params: { mults: [1, 2, 2, 2] },
    inputs: { x: img, t: steps },
    error: { port: 'x', match: /divide by 8/ },
  },
  { kind: 'diffusion.schedule', params: { T: 50 }, out: { schedule: [50] } },
  {
    kind: 'diffusion.forward',
    inputs: { x0: img, t: steps, schedule: sched },
    out: { xt: ['B', 28, 28, 1], noise: ['B', 28, 28, 1] },
  },
  {
    kind: 'diffusion.sampler',
    inputs: { schedule: sched, model: t('network', ['B', 2]) },
    out: { x: ['B', 2] },
  },
  {
    kind: 'diffusion.sampler',
    params: { steps: 1001 },
    inputs: { schedule: sched, model: t('network', ['B', 2]) },
    error: { port: 'schedule', match: /steps \(1001\) is more than the schedule's T = 1000/ },
  },
  { kind: 'op.concat', inputs: { a: flat('latent', 62), b: flat('code', 12) }, out: { y: ['B', 74] } },
  {
    kind: 'op.concat',
    inputs: { a: flat('latent', 62), b: img },
    error: { port: 'b', match: /does not line up/ },
  },
  {
    kind: 'op.split',
    params: { sizes: [10, 2] },
    inputs: { x: flat('logits', 12) },
    out: { part0: ['B', 10], part1: ['B', 2] },
  },
  {
    kind: 'op.split',
    params: { sizes: [10, 3] },
    inputs: { x: flat('logits', 12) },
    error: { port: 'x', match: /add up to 13/ },
  },
  { kind: 'op.add', inputs: { a: img, b: img }, out: { y: ['B', 28, 28, 1] } },
  { kind: 'op.add', inputs: { a: img, b: flat('data', 784) }, error: { port: 'b', match: /must match/ } },
  { kind: 'op.reshape', params: { shape: [784] }, inputs: { x: img }, out: { y: ['B', 784] } },
  {
    kind: 'op.reshape',
    params: { shape: [10, 10] },
    inputs: { x: img },
    error: { port: 'x', match: /784 values/ },
  },
  { kind: 'op.flatten', inputs: { x: img }, out: { y: ['B', 784] } },
  { kind: 'op.image_pool', inputs: { x: img }, out: { y: ['B', 28, 28, 1] } },
  { kind: 'loss.reconstruction', inputs: { pred: img, target: img }, out: { loss: [] } },
  {
    kind: 'loss.reconstruction',
    inputs: { pred: flat('data', 784), target: img },
    error: { port: 'target', match: /same shape/ },
  },
  { kind: 'loss.kl_normal', inputs: { q: flat('gaussian', 20) }, out: { loss: [] } },
  {
    kind: 'loss.kl_normal',
    inputs: { q: flat('latent', 20) },
    error: { port: 'q', match: /needs a gaussian/ },
  },
  {
    kind: 'loss.adversarial',
    inputs: { real: flat('logits', 1), fake: flat('logits', 1) },
    out: { loss: [] },
  },
  {
    kind: 'loss.adversarial',
    inputs: { fake: flat('logits', 1) },
    error: { port: 'real', match: /real data/ },
  },
  {
    kind: 'loss.adversarial',
    params: { role: 'generator' },
    inputs: { fake: flat('logits', 1) },
    out: { loss: [] },
  },
  { kind: 'loss.cycle', inputs: { x: img, cycled: img }, out: { loss: [] } },
  { kind: 'loss.identity', inputs: { x: img, mapped: img }, out: { loss: [] } },
  {
    kind: 'loss.mi_categorical',
    inputs: { logits: flat('logits', 10), code: flat('code', 10) },
    out: { loss: [] },
  },
  {
    kind: 'loss.mi_categorical',
    inputs: { logits: flat('logits', 10), code: flat('code', 9) },
    error: { port: 'code', match: /same shape/ },
  },
  { kind: 'loss.mi_gaussian', inputs: { mean: flat('code', 2), code: flat('code', 2) }, out: { loss: [] } },
  { kind: 'loss.diffusion_mse', inputs: { pred: img, noise: img }, out: { loss: [] } },
];

import { expectTensor } from './types';
import { defineLoss, pairCheck } from './loss-common';

export const diffusionMse = defineLoss(
  {
    kind: 'loss.diffusion_mse',
    title: 'Noise prediction MSE',
    summary: '‖ε − ε_θ(x_t, t)‖²: the simple DDPM objective',
    doc:
      'The “simple” DDPM loss (Ho et al. 2020, eq. 14): the mean squared error between the noise that was ' +
      'added and the denoiser’s prediction of it, averaged over pixels, samples and random timesteps. It ' +
      'is a reweighted variational bound that drops the weights which favour the smallest t, and gives ' +
      'better samples.',
  },
  {},
  () => [
    { name: 'pred', type: 'data', doc: 'predicted noise ε̂' },
    { name: 'noise', type: 'data', doc: 'the true noise ε' },
  ],
  pairCheck('pred', 'noise'),
  (tf, _p, i) => tf.mean(tf.squaredDifference(expectTensor(i.pred, 'pred'), expectTensor(i.noise, 'noise'))),
);

import { ShapeError, need } from '../shape';
import { expectKind } from './types';
import { defineLoss, sumPerSample } from './loss-common';

export const klNormal = defineLoss(
  {
    kind: 'loss.kl_normal',
    title: 'KL to N(0, I)',
    summary: 'KL(q(z | x) ‖ N(0, I)): keeps codes close to the prior',
    doc:
      'The regulariser of the VAE ELBO: the Kullback–Leibler divergence from the encoder’s gaussian ' +
      'q(z | x) = N(μ, σ²) to the standard normal prior, in closed form ½·Σ(μ² + σ² − 1 − log σ²), summed ' +
      'over latent dimensions and averaged over the batch (nats). It needs the gaussian itself (mean and ' +
      'log-variance), not a sample. An AAE replaces it with a discriminator on z.',
  },
  {},
  () => [{ name: 'q', type: 'gaussian' }],
  (_p, inputs) => {
    const q = need(inputs, 'q');
    if (q.type !== 'gaussian') {
      throw new ShapeError('the KL loss needs a gaussian input (mean and log-variance), not a sample', 'q');
    }
  },
  (tf, _p, i) => {
    const q = expectKind(i.q, 'gaussian', 'q');
    const kl = tf.mul(0.5, tf.sub(tf.add(tf.square(q.mean), tf.exp(q.logvar)), tf.add(1, q.logvar)));
    return sumPerSample(tf, kl);
  },
);

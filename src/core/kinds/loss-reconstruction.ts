import { z } from 'zod';
import type { Tensor, TF } from './types';
import { expectTensor } from './types';
import { defineLoss, pairCheck, reduction, sumPerSample } from './loss-common';

const EPS = 1e-7;

/** Element-wise reconstruction error; BCE reads `pred` as Bernoulli probabilities. */
export function reconstructionError(
  tf: TF,
  metric: 'bce' | 'mse' | 'l1',
  pred: Tensor,
  target: Tensor,
): Tensor {
  switch (metric) {
    case 'bce': {
      const p = tf.clipByValue(pred, EPS, 1 - EPS);
      return tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))));
    }
    case 'mse':
      return tf.squaredDifference(pred, target);
    case 'l1':
      return tf.abs(tf.sub(pred, target));
  }
}

export const reconstruction = defineLoss(
  {
    kind: 'loss.reconstruction',
    title: 'Reconstruction loss',
    summary: 'How far the output is from its target: BCE, MSE or L1',
    doc:
      'Compares a reconstruction with the data it came from. Binary cross-entropy is the negative ' +
      'log-likelihood of a Bernoulli decoder: summed over pixels it is the reconstruction term of the VAE ' +
      'ELBO, in nats. MSE corresponds to a gaussian decoder and L1 to a Laplace one; L1 gives sharper ' +
      'images, which is why the AAE and CycleGAN use it.',
  },
  {
    metric: z.enum(['bce', 'mse', 'l1']).default('bce').describe('error per value'),
    reduction: reduction.default('sum'),
  },
  () => [
    { name: 'pred', type: 'data', doc: 'the reconstruction' },
    { name: 'target', type: 'data', doc: 'the original' },
  ],
  pairCheck('pred', 'target'),
  (tf, p, i) => {
    const err = reconstructionError(
      tf,
      p.metric,
      expectTensor(i.pred, 'pred'),
      expectTensor(i.target, 'target'),
    );
    return p.reduction === 'sum' ? sumPerSample(tf, err) : tf.mean(err);
  },
);

import { z } from 'zod';
import { expectTensor } from './types';
import { defineLoss, pairCheck } from './loss-common';

export const miCategorical = defineLoss(
  {
    kind: 'loss.mi_categorical',
    title: 'Information (categorical)',
    summary: 'Q must recover the categorical code from the sample',
    doc:
      'InfoGAN’s variational lower bound on the mutual information I(c; G(z, c)) for a discrete code ' +
      '(Chen et al. 2016): the cross-entropy of Q’s prediction against the code that was fed to G. ' +
      'Minimising it trains G to make the code visible in its output and Q to read it; on MNIST the ' +
      '10-way code usually comes to mean the digit, with no labels at all.',
  },
  {},
  () => [
    { name: 'logits', type: 'logits', doc: 'Q’s logits for the code' },
    { name: 'code', type: 'code', doc: 'the one-hot code that was given to G' },
  ],
  pairCheck('logits', 'code'),
  (tf, _p, i) => {
    const logp = tf.logSoftmax(expectTensor(i.logits, 'logits'));
    return tf.neg(tf.mean(tf.sum(tf.mul(expectTensor(i.code, 'code'), logp), 1)));
  },
);

export const miGaussian = defineLoss(
  {
    kind: 'loss.mi_gaussian',
    title: 'Information (continuous)',
    summary: 'Q must recover the continuous codes: gaussian negative log-likelihood',
    doc:
      'The same bound for continuous codes: Q’s output is the mean of a gaussian with fixed standard ' +
      'deviation, and the loss is the negative log-likelihood of the true code under it, ½·((c − μ)/σ)² + ' +
      'log σ + ½·log 2π summed over codes. With σ = 1 this is half a squared error, as in the InfoGAN code.',
  },
  { std: z.number().positive().default(1).describe('the fixed σ of Q’s gaussian') },
  () => [
    { name: 'mean', type: 'code', doc: 'Q’s estimate of the codes' },
    { name: 'code', type: 'code', doc: 'the codes given to G' },
  ],
  pairCheck('mean', 'code'),
  (tf, p, i) => {
    const z2 = tf.square(tf.div(tf.sub(expectTensor(i.code, 'code'), expectTensor(i.mean, 'mean')), p.std));
    const nll = tf.add(tf.mul(0.5, z2), Math.log(p.std) + 0.5 * Math.log(2 * Math.PI));
    return tf.mean(tf.sum(nll, 1));
  },
);

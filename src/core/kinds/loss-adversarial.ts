import { z } from 'zod';
import { ShapeError, need, requireSameShape } from '../shape';
import type { Tensor, TF } from './types';
import { expectTensor } from './types';
import { defineLoss } from './loss-common';

type Form = 'minimax' | 'nonsaturating' | 'lsgan';

/** Discriminator loss: real logits pushed to "real", fake ones to "fake". */
export function discriminatorLoss(tf: TF, form: Form, real: Tensor, fake: Tensor): Tensor {
  if (form === 'lsgan') return tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake)));
  // −log σ(r) − log(1 − σ(f)) = softplus(−r) + softplus(f), stable for any logit.
  return tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)));
}

export function generatorLoss(tf: TF, form: Form, fake: Tensor): Tensor {
  switch (form) {
    case 'minimax':
      return tf.mean(tf.neg(tf.softplus(fake))); // log(1 − σ(f)), minimised
    case 'nonsaturating':
      return tf.mean(tf.softplus(tf.neg(fake))); // −log σ(f)
    case 'lsgan':
      return tf.mean(tf.square(tf.sub(fake, 1)));
  }
}

export const adversarial = defineLoss(
  {
    kind: 'loss.adversarial',
    title: 'Adversarial loss',
    summary: 'The GAN game: D tells real from fake, G tries to fool D',
    doc:
      'The two sides of a GAN (Goodfellow et al. 2014). For the discriminator it is the cross-entropy of ' +
      'calling real samples real and generated ones fake. For the generator it is the minimax loss ' +
      'log(1 − D(G(z))), which stalls when D wins early, or the non-saturating −log D(G(z)) used in ' +
      'practice. The least-squares form (Mao et al. 2017) penalises squared distance to the targets instead ' +
      'and is what CycleGAN uses. Each side trains only its own network, in its own phase.',
  },
  {
    role: z.enum(['discriminator', 'generator']).default('discriminator').describe('whose loss this is'),
    form: z
      .enum(['minimax', 'nonsaturating', 'lsgan'])
      .default('nonsaturating')
      .describe('which GAN objective'),
  },
  (p) => [
    { name: 'real', type: 'logits', optional: p.role === 'generator', doc: 'D’s logits on real data' },
    { name: 'fake', type: 'logits', doc: 'D’s logits on generated data' },
  ],
  (p, inputs) => {
    const fake = need(inputs, 'fake');
    if (p.role === 'discriminator') {
      const real = inputs.real;
      if (!real) throw new ShapeError('the discriminator loss needs the logits on real data', 'real');
      requireSameShape(real, 'real', fake, 'fake');
    }
  },
  (tf, p, i) => {
    const fake = expectTensor(i.fake, 'fake');
    if (p.role === 'generator') return generatorLoss(tf, p.form, fake);
    return discriminatorLoss(tf, p.form, expectTensor(i.real, 'real'), fake);
  },
);

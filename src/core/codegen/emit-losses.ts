import type { IrNode } from '../compiler/ir';
import type { Emitter, NodeCode } from './emit';
import { MAX_BODY_LINE, lit, params } from './emit';

/**
 * Losses: each returns its unweighted scalar (curves read in their own units, e.g. nats); the phase
 * multiplies it by the node's weight when it sums its losses. Formulas as in src/core/kinds/loss-*.ts.
 */

function loss(summary: string, ports: string, lines: string[], helpers: string[] = []): NodeCode {
  const head = `return ({ ${ports} }) =>`;
  const last = lines[lines.length - 1]!;
  let body: string[];
  if (lines.length > 1) {
    body = [`${head} {`, ...lines.slice(0, -1).map((l) => `  ${l}`), `  return { loss: ${last} };`, '};'];
  } else if (`${head} ({ loss: ${last} });`.length <= MAX_BODY_LINE) {
    body = [`${head} ({ loss: ${last} });`];
  } else body = [`${head} ({`, `  loss: ${last},`, '});'];
  return { summary, helpers, needs: 'none', body };
}

function reconstruction(n: IrNode): NodeCode {
  const p = params<{ metric: 'bce' | 'mse' | 'l1'; reduction: 'sum' | 'mean' }>(n);
  const err = {
    bce: [
      '// Bernoulli negative log-likelihood of the target under the predicted pixel probabilities.',
      'const p = tf.clipByValue(pred, 1e-7, 1 - 1e-7);',
      'const logLikelihood = tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));',
      'const err = tf.neg(logLikelihood);',
    ],
    mse: ['const err = tf.squaredDifference(pred, target);'],
    l1: ['const err = tf.abs(tf.sub(pred, target));'],
  }[p.metric];
  const sum = p.reduction === 'sum';
  return loss(
    `${p.metric.toUpperCase()} between pred and target, ${sum ? 'summed per sample and averaged over the batch' : 'averaged over all values'}.`,
    'pred, target',
    [...err, sum ? 'sumPerSample(err)' : 'tf.mean(err)'],
    sum ? ['sumPerSample'] : [],
  );
}

function klNormal(): NodeCode {
  return loss(
    'KL(q(z | x) ‖ N(0, I)) in closed form, summed over dimensions, averaged over the batch (nats).',
    'q',
    [
      'const kl = tf.mul(0.5, tf.sub(tf.add(tf.square(q.mean), tf.exp(q.logvar)), tf.add(1, q.logvar)));',
      'sumPerSample(kl)',
    ],
    ['sumPerSample'],
  );
}

function adversarial(n: IrNode): NodeCode {
  const p = params<{ role: 'discriminator' | 'generator'; form: 'minimax' | 'nonsaturating' | 'lsgan' }>(n);
  if (p.role === 'discriminator') {
    return p.form === 'lsgan'
      ? loss('Least-squares discriminator loss: real logits toward 1, fake ones toward 0.', 'real, fake', [
          'tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake)))',
        ])
      : loss(
          'Discriminator cross-entropy: −log σ(real) − log(1 − σ(fake)), written with softplus.',
          'real, fake',
          ['tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)))'],
        );
  }
  const forms = {
    minimax: ['Minimax generator loss log(1 − σ(fake)), minimised.', 'tf.mean(tf.neg(tf.softplus(fake)))'],
    nonsaturating: ['Non-saturating generator loss −log σ(fake).', 'tf.mean(tf.softplus(tf.neg(fake)))'],
    lsgan: ['Least-squares generator loss: fake logits toward 1.', 'tf.mean(tf.square(tf.sub(fake, 1)))'],
  } as const;
  const [summary, expr] = forms[p.form];
  return loss(summary, 'fake', [expr]);
}

function cycle(): NodeCode {
  return loss('Cycle consistency: mean |F(G(x)) − x|.', 'x, cycled', ['tf.mean(tf.abs(tf.sub(cycled, x)))']);
}

function identity(): NodeCode {
  return loss('Identity: mean |G(y) − y| for an image already in the target domain.', 'x, mapped', [
    'tf.mean(tf.abs(tf.sub(mapped, x)))',
  ]);
}

function miCategorical(): NodeCode {
  return loss(
    "InfoGAN information loss: cross-entropy of Q's logits against the categorical code.",
    'logits, code',
    ['const logp = tf.logSoftmax(logits);', 'tf.neg(tf.mean(tf.sum(tf.mul(code, logp), 1)))'],
  );
}

function miGaussian(n: IrNode): NodeCode {
  const std = lit(params<{ std: number }>(n).std);
  return loss(
    `Gaussian negative log-likelihood (σ = ${std}) of the continuous codes under Q's estimate.`,
    'mean, code',
    [
      `const z2 = tf.square(tf.div(tf.sub(code, mean), ${std}));`,
      `const nll = tf.add(tf.mul(0.5, z2), Math.log(${std}) + 0.5 * Math.log(2 * Math.PI));`,
      'tf.mean(tf.sum(nll, 1))',
    ],
  );
}

function diffusionMse(): NodeCode {
  return loss(
    'The simple DDPM objective: mean squared error between the true and predicted noise.',
    'pred, noise',
    ['tf.mean(tf.squaredDifference(pred, noise))'],
  );
}

export const LOSS_EMITTERS: Record<string, Emitter> = {
  'loss.reconstruction': reconstruction,
  'loss.kl_normal': klNormal,
  'loss.adversarial': adversarial,
  'loss.cycle': cycle,
  'loss.identity': identity,
  'loss.mi_categorical': miCategorical,
  'loss.mi_gaussian': miGaussian,
  'loss.diffusion_mse': diffusionMse,
};

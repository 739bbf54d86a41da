import type * as tfjs from '@tensorflow/tfjs';
import type { Optimizer as OptimizerSpec } from '../core/document/schema';

type TF = typeof tfjs;

export function makeOptimizer(tf: TF, o: OptimizerSpec): tfjs.Optimizer {
  switch (o.type) {
    case 'adam':
      return tf.train.adam(o.lr, o.beta1, o.beta2, o.epsilon);
    case 'sgd':
      return o.beta1 > 0 ? tf.train.momentum(o.lr, o.beta1) : tf.train.sgd(o.lr);
    case 'rmsprop':
      return tf.train.rmsprop(o.lr, o.beta1, 0, o.epsilon);
  }
}

/**
 * The share of its learning rate a phase uses at an iteration: 1 until `from` × iterations, then falling
 * linearly to 1/(n + 1) at the last of those n iterations (and 0 past the end), as Zhu et al.'s
 * CycleGAN decays it over its second 100 epochs. Without `from`, always 1.
 */
export function lrFactor(iteration: number, iterations: number, from: number | undefined): number {
  if (from === undefined) return 1;
  const start = Math.floor(from * iterations);
  if (iteration < start) return 1;
  return Math.max(0, (iterations - iteration) / (iterations - start + 1));
}

/** Changes the learning rate of a running optimizer (TF.js reads it on every update). */
export function setLearningRate(opt: tfjs.Optimizer, lr: number): void {
  const o = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/**
 * L2 weight decay (as torch.optim's weight_decay) and clipping by the global norm, applied to the
 * gradients before the optimizer sees them. Keeps the order of the map: optimizer slots follow it.
 */
export function prepareGradients(
  tf: TF,
  grads: tfjs.NamedTensorMap,
  vars: readonly tfjs.Variable[],
  o: OptimizerSpec,
): tfjs.NamedTensorMap {
  let out: tfjs.NamedTensorMap = grads;
  if (o.weightDecay > 0) {
    out = {};
    for (const v of vars) out[v.name] = tf.add(grads[v.name]!, tf.mul(v, o.weightDecay));
  }
  if (o.clipNorm !== undefined) {
    const names = Object.keys(out);
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(out[n]!)))));
    const scale = tf.minimum(1, tf.div(o.clipNorm, tf.maximum(norm, 1e-12)));
    const clipped: tfjs.NamedTensorMap = {};
    for (const n of names) clipped[n] = tf.mul(out[n]!, scale);
    out = clipped;
  }
  return out;
}

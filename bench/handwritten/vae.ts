import type * as tfjs from '@tensorflow/tfjs';

/**
 * The VAE as a competent TF.js user writes it by hand: ops API, variables, optimizer.minimize.
 * 784-400-20 encoder, 20-400-784 sigmoid decoder, Bernoulli likelihood, KL to N(0, I), Adam.
 */
export function handwrittenVae(tf: typeof tfjs, batchSize: number, lr = 1e-3) {
  const glorot = (i: number, o: number) =>
    tf.variable(tf.randomUniform([i, o], -Math.sqrt(6 / (i + o)), Math.sqrt(6 / (i + o))));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const w = {
    e1: glorot(784, 400),
    e1b: zeros(400),
    e2: glorot(400, 40),
    e2b: zeros(40),
    d1: glorot(20, 400),
    d1b: zeros(400),
    d2: glorot(400, 784),
    d2b: zeros(784),
  };
  const opt = tf.train.adam(lr);
  const loss = (x: tfjs.Tensor2D) => {
    const h = tf.relu(tf.add(tf.matMul(x, w.e1), w.e1b));
    const stats = tf.add(tf.matMul(h, w.e2), w.e2b);
    const mu = tf.slice(stats, [0, 0], [-1, 20]);
    const logvar = tf.slice(stats, [0, 20], [-1, 20]);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mu.shape)));
    const p = tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, w.d1), w.d1b)), w.d2), w.d2b));
    const pc = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    const rec = tf.neg(tf.sum(tf.add(tf.mul(x, tf.log(pc)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, pc))))));
    const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(1, logvar))));
    return tf.div(tf.add(rec, kl), batchSize) as tfjs.Scalar;
  };
  return {
    /** One training step on a batch of binarized digits [B, 784]. */
    step(batch: Float32Array): void {
      tf.tidy(() => {
        const x = tf.tensor2d(batch, [batchSize, 784]);
        opt.minimize(() => loss(x));
      });
    },
    dispose(): void {
      tf.dispose(Object.values(w));
      opt.dispose();
    },
  };
}

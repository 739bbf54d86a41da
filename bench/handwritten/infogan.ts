import type * as tfjs from '@tensorflow/tfjs';

export interface InfoganSizes {
  /** G: FC width, then the channels of the 7×7 map and of the first transposed convolution. */
  gHidden: number;
  gChannels: [number, number];
  /** D: the two convolutions' channels, then its FC width. */
  dChannels: [number, number];
  dHidden: number;
  qHidden: number;
}

/** The paper's MNIST sizes (the template); the 'scaled' preset halves the widths. */
export const INFOGAN_FULL: InfoganSizes = {
  gHidden: 1024,
  gChannels: [128, 64],
  dChannels: [64, 128],
  dHidden: 1024,
  qHidden: 128,
};

/**
 * InfoGAN on MNIST as a competent TF.js user writes it by hand: ops API, variables, batch norm from
 * tf.moments, two optimizer.minimize calls per iteration (D ∪ Q, then G). The same networks as the
 * template: G FC → FC 7×7×C → two 4×4 stride-2 transposed convolutions; D two 4×4 stride-2
 * convolutions (batch norm from the second) and FC, with LeakyReLU 0.2; Q an FC head on D's features;
 * 62 uniform noise + 10-way categorical + 2 uniform codes; Adam β1 = 0.5, D 2e-4, G 1e-3.
 * It keeps no running batch-norm statistics (the template does), so it does slightly less work.
 */
export function handwrittenInfogan(tf: typeof tfjs, batchSize: number, s: InfoganSizes = INFOGAN_FULL) {
  const B = batchSize;
  const glorot = (shape: number[], fanIn: number, fanOut: number) =>
    tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut))));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const ones = (n: number) => tf.variable(tf.ones([n]));
  const [g1, g2] = s.gChannels;
  const [d1, d2] = s.dChannels;
  const G = {
    w1: glorot([74, s.gHidden], 74, s.gHidden),
    g1: ones(s.gHidden),
    b1: zeros(s.gHidden),
    w2: glorot([s.gHidden, 49 * g1], s.gHidden, 49 * g1),
    g2: ones(49 * g1),
    b2: zeros(49 * g1),
    k3: glorot([4, 4, g2, g1], 16 * g1, 16 * g2),
    g3: ones(g2),
    b3: zeros(g2),
    k4: glorot([4, 4, 1, g2], 16 * g2, 16),
    b4: zeros(1),
  };
  const D = {
    k1: glorot([4, 4, 1, d1], 16, 16 * d1),
    c1: zeros(d1),
    k2: glorot([4, 4, d1, d2], 16 * d1, 16 * d2),
    g2: ones(d2),
    b2: zeros(d2),
    w3: glorot([49 * d2, s.dHidden], 49 * d2, s.dHidden),
    g3: ones(s.dHidden),
    b3: zeros(s.dHidden),
    wl: glorot([s.dHidden, 1], s.dHidden, 1),
    bl: zeros(1),
    wq: glorot([s.dHidden, s.qHidden], s.dHidden, s.qHidden),
    gq: ones(s.qHidden),
    bq: zeros(s.qHidden),
    wo: glorot([s.qHidden, 12], s.qHidden, 12),
    bo: zeros(12),
  };
  const optD = tf.train.adam(2e-4, 0.5);
  const optG = tf.train.adam(1e-3, 0.5);

  const bn = <T extends tfjs.Tensor>(x: T, gamma: tfjs.Tensor, beta: tfjs.Tensor, axes: number[]): T => {
    const { mean, variance } = tf.moments(x, axes, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta) as T;
  };
  const lrelu = <T extends tfjs.Tensor>(x: T) => tf.leakyRelu(x, 0.2) as T;

  const generator = (z: tfjs.Tensor2D) => {
    const h1 = tf.relu(bn(tf.matMul(z, G.w1), G.g1, G.b1, [0]));
    const h2 = tf.relu(bn(tf.matMul(h1, G.w2), G.g2, G.b2, [0])).reshape([B, 7, 7, g1]) as tfjs.Tensor4D;
    const h3 = tf.relu(
      bn(tf.conv2dTranspose(h2, G.k3 as tfjs.Tensor4D, [B, 14, 14, g2], 2, 'same'), G.g3, G.b3, [0, 1, 2]),
    );
    return tf.sigmoid(
      tf.add(tf.conv2dTranspose(h3, G.k4 as tfjs.Tensor4D, [B, 28, 28, 1], 2, 'same'), G.b4),
    ) as tfjs.Tensor4D;
  };
  const discriminator = (x: tfjs.Tensor4D) => {
    const h1 = lrelu(tf.add(tf.conv2d(x, D.k1 as tfjs.Tensor4D, 2, 'same'), D.c1)) as tfjs.Tensor4D;
    const h2 = lrelu(bn(tf.conv2d(h1, D.k2 as tfjs.Tensor4D, 2, 'same'), D.g2, D.b2, [0, 1, 2]));
    const h3 = lrelu(bn(tf.matMul(h2.reshape([B, 49 * d2]), D.w3), D.g3, D.b3, [0]));
    const logit = tf.add(tf.matMul(h3, D.wl), D.bl);
    const q = tf.add(tf.matMul(lrelu(bn(tf.matMul(h3, D.wq), D.gq, D.bq, [0])), D.wo), D.bo);
    return { logit, qCat: tf.slice(q, [0, 0], [B, 10]), qCont: tf.slice(q, [0, 10], [B, 2]) };
  };
  const bce = (logit: tfjs.Tensor, target: number) =>
    tf.losses.sigmoidCrossEntropy(tf.fill(logit.shape, target), logit);
  const info = (qCat: tfjs.Tensor, qCont: tfjs.Tensor, cat: tfjs.Tensor, cont: tfjs.Tensor) =>
    tf.add(
      tf.losses.softmaxCrossEntropy(cat, qCat),
      tf.mean(tf.sum(tf.mul(0.5, tf.square(tf.sub(cont, qCont))), 1)),
    );
  const dVars = Object.values(D);
  const gVars = Object.values(G);

  return {
    /** One iteration (a D ∪ Q step, then a G step) on a batch of real digits [B, 28, 28, 1] in [0, 1]. */
    step(real: Float32Array): void {
      tf.tidy(() => {
        const x = tf.tensor4d(real, [B, 28, 28, 1]);
        const draw = () => {
          const cat = tf.oneHot(tf.randomUniformInt([B], 0, 10), 10).toFloat();
          const cont = tf.randomUniform([B, 2], -1, 1);
          return {
            z: tf.concat([tf.randomUniform([B, 62], -1, 1), cat, cont], 1) as tfjs.Tensor2D,
            cat,
            cont,
          };
        };
        const a = draw();
        optD.minimize(
          () => {
            const fake = discriminator(generator(a.z));
            const r = discriminator(x);
            return tf.addN([
              bce(r.logit, 1),
              bce(fake.logit, 0),
              info(fake.qCat, fake.qCont, a.cat, a.cont),
            ]) as tfjs.Scalar;
          },
          false,
          dVars,
        );
        const b = draw();
        optG.minimize(
          () => {
            const fake = discriminator(generator(b.z));
            return tf.add(bce(fake.logit, 1), info(fake.qCat, fake.qCont, b.cat, b.cont)) as tfjs.Scalar;
          },
          false,
          gVars,
        );
      });
    },
    dispose(): void {
      tf.dispose([...dVars, ...gVars]);
      optD.dispose();
      optG.dispose();
    },
  };
}

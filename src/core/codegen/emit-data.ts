import type { IrNode } from '../compiler/ir';
import type { Emitter, NodeCode } from './emit';
import { lit, params } from './emit';

/** Data sources and noise: each draws from the step's seeds in the same order as the runtime's kinds. */

function mnist(n: IrNode): NodeCode {
  const p = params<{ split: 'train' | 'test'; binarize: 'none' | 'dynamic'; range: string }>(n);
  const binarize = p.binarize === 'dynamic';
  return {
    summary: `MNIST ${p.split} digits in ${p.range}${binarize ? ', dynamically binarized' : ''}, and their one-hot labels.`,
    helpers: ['mulberry32', 'mnistBatch'],
    needs: 'data',
    body: [
      `const set = data.get(${lit(`mnist-${p.split}`)});`,
      'return (_inputs, ctx) => {',
      '  const rng = mulberry32(ctx.nextSeed());',
      `  const b = mnistBatch(set, ctx.batchSize, rng, ${binarize}, ${lit(p.range)});`,
      '  return {',
      '    x: tf.tensor4d(b.images, [ctx.batchSize, 28, 28, 1]),',
      "    label: tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10).toFloat(),",
      '  };',
      '};',
    ],
  };
}

function mnistDomains(n: IrNode): NodeCode {
  const p = params<{ transform: 'invert' | 'thicken'; split: 'train' | 'test'; range: string }>(n);
  const train = p.split === 'train';
  const range = lit(p.range);
  return {
    summary: train
      ? `Two unpaired domains: A is digits 0–29,999, B the ${p.transform}ed digits 30,000–59,999.`
      : `Paired test domains: B is the ${p.transform}ed copy of the very digit in A.`,
    helpers: ['mulberry32', 'mnistBatch', p.transform],
    needs: 'data',
    body: [
      `const set = data.get(${lit(`mnist-${p.split}`)});`,
      'return (_inputs, ctx) => {',
      '  const n = ctx.batchSize;',
      '  const seed = ctx.nextSeed();',
      ...(train
        ? [
            '  const half = Math.floor(set.count / 2);',
            `  const a = mnistBatch(set, n, mulberry32(seed), false, ${range}, [0, half]);`,
            '  // Another seed and the other half: A and B never show the same digit.',
            `  const b = mnistBatch(set, n, mulberry32(seed ^ 0x5bd1e995), false, ${range}, [half, set.count], ${p.transform});`,
          ]
        : [
            `  const a = mnistBatch(set, n, mulberry32(seed), false, ${range});`,
            '  // The same seed: the same digits, so B is the true pair of A.',
            `  const b = mnistBatch(set, n, mulberry32(seed), false, ${range}, undefined, ${p.transform});`,
          ]),
      '  return { a: tf.tensor4d(a.images, [n, 28, 28, 1]), b: tf.tensor4d(b.images, [n, 28, 28, 1]) };',
      '};',
    ],
  };
}

function toy2d(n: IrNode): NodeCode {
  const p = params<{ dataset: 'ring8' | 'swissroll' | 'moons'; noise: number }>(n);
  const point = `${p.dataset}Point`;
  return {
    summary: `2D points from '${p.dataset}' with noise ${p.noise}, drawn fresh every step.`,
    helpers: ['mulberry32', point],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => {',
      '  const rng = mulberry32(ctx.nextSeed());',
      '  const n = ctx.batchSize;',
      '  const pts = new Float32Array(n * 2);',
      '  for (let i = 0; i < n; i++) {',
      `    const [x, y] = ${point}(rng, ${lit(p.noise)});`,
      '    pts[2 * i] = x;',
      '    pts[2 * i + 1] = y;',
      '  }',
      '  return { x: tf.tensor2d(pts, [n, 2]) };',
      '};',
    ],
  };
}

function sampleGaussian(n: IrNode): NodeCode {
  const p = params<{ dim: number; mean: number; std: number }>(n);
  return {
    summary: `z ~ N(${p.mean}, ${p.std}²) in ${p.dim} dimensions.`,
    helpers: [],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => ({',
      `  z: tf.randomNormal([ctx.batchSize, ${p.dim}], ${lit(p.mean)}, ${lit(p.std)}, 'float32', ctx.nextSeed()),`,
      '});',
    ],
  };
}

function sampleUniform(n: IrNode): NodeCode {
  const p = params<{ dim: number; low: number; high: number }>(n);
  return {
    summary: `z ~ U(${p.low}, ${p.high}) in ${p.dim} dimensions.`,
    helpers: [],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => ({',
      `  z: tf.randomUniform([ctx.batchSize, ${p.dim}], ${lit(p.low)}, ${lit(p.high)}, 'float32', ctx.nextSeed()),`,
      '});',
    ],
  };
}

/** `() => class index`: uniform over k, or a fixed class (the generator is seeded all the same). */
function classDraw(k: number, fixed: number): string {
  return fixed >= 0 ? `() => ${fixed % k}` : `() => Math.floor(rng() * ${k})`;
}

function sampleCategorical(n: IrNode): NodeCode {
  const p = params<{ classes: number; fixed: number }>(n);
  return {
    summary:
      p.fixed >= 0
        ? `The one-hot class ${p.fixed % p.classes} of ${p.classes}, for every sample.`
        : `A one-hot class drawn uniformly from ${p.classes}.`,
    helpers: ['mulberry32'],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => {',
      '  const rng = mulberry32(ctx.nextSeed());',
      `  const idx = Int32Array.from({ length: ctx.batchSize }, ${classDraw(p.classes, p.fixed)});`,
      `  return { c: tf.oneHot(tf.tensor1d(idx, 'int32'), ${p.classes}).toFloat() };`,
      '};',
    ],
  };
}

function sampleMixture(n: IrNode): NodeCode {
  const p = params<{ dim: number; components: number; radius: number; std: number }>(n);
  return {
    summary: `${p.components} gaussians (σ ${p.std}) on a circle of radius ${p.radius} in the first two of ${p.dim} dimensions.`,
    helpers: ['mulberry32', 'gaussian'],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => {',
      '  const rng = mulberry32(ctx.nextSeed());',
      `  const out = new Float32Array(ctx.batchSize * ${p.dim});`,
      '  for (let i = 0; i < ctx.batchSize; i++) {',
      `    const a = (2 * Math.PI * Math.floor(rng() * ${p.components})) / ${p.components};`,
      `    for (let j = 0; j < ${p.dim}; j++) {`,
      `      const mu = j === 0 ? ${lit(p.radius)} * Math.cos(a) : j === 1 ? ${lit(p.radius)} * Math.sin(a) : 0;`,
      `      out[i * ${p.dim} + j] = mu + ${lit(p.std)} * gaussian(rng);`,
      '    }',
      '  }',
      `  return { z: tf.tensor2d(out, [ctx.batchSize, ${p.dim}]) };`,
      '};',
    ],
  };
}

function sampleInfogan(n: IrNode): NodeCode {
  const p = params<{
    noise: number;
    noiseDist: 'uniform' | 'gaussian';
    categories: number;
    continuous: number;
    fixed: number;
  }>(n);
  const cont = p.continuous > 0;
  const noise =
    p.noiseDist === 'uniform'
      ? `tf.randomUniform([n, ${p.noise}], -1, 1, 'float32', ctx.nextSeed())`
      : `tf.randomNormal([n, ${p.noise}], 0, 1, 'float32', ctx.nextSeed())`;
  return {
    summary: `InfoGAN input: ${p.noise} noise dims in ${p.noiseDist === 'uniform' ? 'U(−1, 1)' : 'N(0, 1)'} ‖ a one-hot code of ${p.categories}${cont ? ` ‖ ${p.continuous} codes in U(−1, 1)` : ''}.`,
    helpers: ['mulberry32'],
    needs: 'none',
    body: [
      'return (_inputs, ctx) => {',
      '  const n = ctx.batchSize;',
      '  const rng = mulberry32(ctx.nextSeed());',
      `  const idx = Int32Array.from({ length: n }, ${classDraw(p.categories, p.fixed)});`,
      `  const noise = ${noise};`,
      `  const cat = tf.oneHot(tf.tensor1d(idx, 'int32'), ${p.categories}).toFloat();`,
      ...(cont
        ? [
            `  const cont = tf.randomUniform([n, ${p.continuous}], -1, 1, 'float32', ctx.nextSeed());`,
            '  return { z: tf.concat([noise, cat, cont], 1), cat, cont };',
          ]
        : ['  return { z: tf.concat([noise, cat], 1), cat };']),
      '};',
    ],
  };
}

function reparameterize(n: IrNode): NodeCode {
  const p = params<{ sampleWhenEvaluating: boolean }>(n);
  return {
    summary: 'z = μ + σ·ε with ε ~ N(0, I): a sample of q(z | x) that gradients flow through.',
    helpers: [],
    needs: 'none',
    body: [
      'return ({ q }, ctx) => {',
      ...(p.sampleWhenEvaluating ? [] : ['  if (!ctx.training) return { z: q.mean };']),
      "  const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', ctx.nextSeed());",
      '  return { z: tf.add(q.mean, tf.mul(tf.exp(tf.mul(q.logvar, 0.5)), eps)) };',
      '};',
    ],
  };
}

export const DATA_EMITTERS: Record<string, Emitter> = {
  'data.mnist': mnist,
  'data.mnist_domains': mnistDomains,
  'data.toy2d': toy2d,
  'sample.gaussian': sampleGaussian,
  'sample.uniform': sampleUniform,
  'sample.categorical': sampleCategorical,
  'sample.mixture': sampleMixture,
  'sample.infogan_code': sampleInfogan,
  'latent.reparameterize': reparameterize,
};

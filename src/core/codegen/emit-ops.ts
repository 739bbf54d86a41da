import type { IrNode } from '../compiler/ir';
import type { Emitter, NodeCode } from './emit';
import { lit, params } from './emit';

/** Tensor ops, as in src/core/kinds/op-*.ts. */

function concat(n: IrNode): NodeCode {
  // Only the wired ports take part, in port order, as the runtime filters the missing ones out.
  const ports = ['a', 'b', 'c', 'd'].filter((p) => n.inputs[p]);
  return {
    summary: `Joins ${ports.join(', ')} along the last axis.`,
    helpers: [],
    needs: 'none',
    body: [`return ({ ${ports.join(', ')} }) => ({ y: tf.concat([${ports.join(', ')}], -1) });`],
  };
}

function split(n: IrNode): NodeCode {
  const sizes = params<{ sizes: number[] }>(n).sizes;
  const names = sizes.map((_, i) => `part${i}`);
  return {
    summary: `Cuts the last axis into parts of ${sizes.join(', ')}.`,
    helpers: [],
    needs: 'none',
    body: [
      'return ({ x }) => {',
      `  const [${names.join(', ')}] = tf.split(x, ${lit(sizes)}, -1);`,
      `  return { ${names.join(', ')} };`,
      '};',
    ],
  };
}

function add(n: IrNode): NodeCode {
  const scale = params<{ scale: number }>(n).scale;
  return {
    summary: `a + ${scale}·b.`,
    helpers: [],
    needs: 'none',
    body: [`return ({ a, b }) => ({ y: tf.add(a, tf.mul(b, ${lit(scale)})) });`],
  };
}

function reshape(n: IrNode): NodeCode {
  const shape = params<{ shape: number[] }>(n).shape;
  return {
    summary: `Gives each sample the shape [${shape.join(', ')}].`,
    helpers: [],
    needs: 'none',
    body: [`return ({ x }) => ({ y: x.reshape(${lit([-1, ...shape])}) });`],
  };
}

function flatten(): NodeCode {
  return {
    summary: 'Flattens each sample to a vector.',
    helpers: [],
    needs: 'none',
    body: ['return ({ x }) => ({ y: x.reshape([x.shape[0], -1]) });'],
  };
}

function imagePool(n: IrNode): NodeCode {
  const size = params<{ size: number }>(n).size;
  if (size === 0) {
    return {
      summary: 'An image pool of size 0: passes images through.',
      helpers: [],
      needs: 'none',
      body: ['return ({ x }) => ({ y: x });'],
    };
  }
  return {
    summary: `A history of ${size} generated images: once full, each new one is swapped for an old one with probability ½.`,
    helpers: ['mulberry32', 'stopGradient'],
    needs: 'none',
    body: [
      '// Detached copies, kept outside the step tidy scope; the pool lives as long as the model.',
      'const pool = [];',
      'const forward = ({ x }, ctx) => {',
      '  if (!ctx.training) return { y: x };',
      '  const rng = mulberry32(ctx.nextSeed());',
      '  const out = tf.unstack(stopGradient(x)).map((img) => {',
      `    if (pool.length < ${size}) {`,
      '      pool.push(tf.keep(img.clone()));',
      '      return img;',
      '    }',
      '    if (rng() < 0.5) return img;',
      '    const k = Math.floor(rng() * pool.length);',
      '    const old = pool[k];',
      '    pool[k] = tf.keep(img.clone());',
      '    const kept = old.clone();',
      '    old.dispose();',
      '    return kept;',
      '  });',
      '  return { y: tf.stack(out) };',
      '};',
      'forward.dispose = () => pool.splice(0).forEach((t) => t.dispose());',
      'return forward;',
    ],
  };
}

export const OP_EMITTERS: Record<string, Emitter> = {
  'op.concat': concat,
  'op.split': split,
  'op.add': add,
  'op.reshape': reshape,
  'op.flatten': flatten,
  'op.image_pool': imagePool,
};

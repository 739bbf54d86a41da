import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { loadDocument } from '../core/document/load';
import type { DataProvider } from '../core/kinds/types';
import { toyPoint } from '../core/kinds/data-toy2d';
import { mnistBatch } from '../core/kinds/mnist-batch';
import { mulberry32 } from '../core/random';
import { TEMPLATES } from '../core/templates';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';

/**
 * The oracle: the same model written by hand in plain TF.js, with the same weights, batch and noise,
 * must give the compiled program's losses and gradients within 1e-5 relative.
 */
const data: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };

function programFor(id: string, batchSize: number): TrainingProgram {
  const doc = loadDocument(structuredClone(TEMPLATES.find((t) => t.id === id)!.json)).doc!;
  doc.training.batchSize = batchSize;
  const r = compile(doc);
  expect(r.diagnostics).toEqual([]);
  return new TrainingProgram(tf, r.program!, data, 3);
}

/** Hand-written variables start as copies of the compiled program's, by logical name. */
function copyVars(p: TrainingProgram): Record<string, tf.Variable> {
  return Object.fromEntries(
    p.store.named().map(([name, v]) => [name, tf.variable(v.clone(), true, `hand/${name}`)]),
  );
}

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / Math.max(1e-12, tf.norm(b).dataSync()[0]!));
}

function compareGradients(
  p: TrainingProgram,
  phase: number,
  hand: Record<string, tf.Variable>,
  f: () => tf.Scalar,
  want: number,
) {
  const ph = p.program.phases[phase]!;
  const { losses, grads } = p.gradients(ph, 0);
  const compiledLoss = losses.reduce((s, l, i) => s + l.dataSync()[0]! * ph.losses[i]!.weight, 0);
  const byEngineName = new Map(p.store.named().map(([name, v]) => [v.name, name]));
  const trained = Object.keys(grads).map((n) => byEngineName.get(n)!);
  const { value, grads: handGrads } = tf.variableGrads(
    f,
    trained.map((n) => hand[n]!),
  );
  expect(Math.abs(value.dataSync()[0]! - compiledLoss) / Math.abs(compiledLoss)).toBeLessThan(1e-5);
  expect(trained.length).toBe(want);
  for (const [engineName, g] of Object.entries(grads)) {
    const name = byEngineName.get(engineName)!;
    expect(relErr(g, handGrads[`hand/${name}`]!), name).toBeLessThan(1e-5);
  }
  tf.dispose([value, ...losses, ...Object.values(grads), ...Object.values(handGrads)]);
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('the compiled program against TF.js written by hand', () => {
  it('VAE: −ELBO and its gradients for one batch', () => {
    const B = 32;
    const p = programFor('vae', B);
    const w = copyVars(p);
    const ctx = p.ctx(true, B, 'elbo/0');
    const batch = mnistBatch(loadMnistNode('train'), B, mulberry32(ctx.nextSeed()), true, '0..1');
    const x = tf.tensor2d(batch.images, [B, 784]);
    const eps = tf.randomNormal([B, 20], 0, 1, 'float32', ctx.nextSeed());
    const lin = (h: tf.Tensor, k: string) =>
      tf.add(tf.matMul(h as tf.Tensor2D, w[`${k}/kernel`] as tf.Tensor2D), w[`${k}/bias`]!);
    const f = () => {
      const [mu, logvar] = tf.split(lin(tf.relu(lin(x, 'enc/trunk/1')), 'enc/head/0'), 2, 1) as [
        tf.Tensor,
        tf.Tensor,
      ];
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
      const prob = tf.clipByValue(
        tf.sigmoid(lin(tf.relu(lin(z, 'dec/body/0')), 'dec/body/1')),
        1e-7,
        1 - 1e-7,
      );
      const bce = tf.neg(
        tf.sum(tf.add(tf.mul(x, tf.log(prob)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, prob))))),
      );
      const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(1, logvar))));
      return tf.div(tf.add(bce, kl), B) as tf.Scalar;
    };
    compareGradients(p, 0, w, f, 8);
    p.dispose();
  });

  it('GAN: one discriminator phase and one generator phase', () => {
    const B = 64;
    const p = programFor('gan-2d', B);
    const w = copyVars(p);
    const lin = (h: tf.Tensor, k: string) =>
      tf.add(tf.matMul(h as tf.Tensor2D, w[`${k}/kernel`] as tf.Tensor2D), w[`${k}/bias`]!);
    const G = (z: tf.Tensor) => lin(tf.relu(lin(tf.relu(lin(z, 'G/body/0')), 'G/body/1')), 'G/body/2');
    const D = (x: tf.Tensor) =>
      lin(tf.leakyRelu(lin(tf.leakyRelu(lin(x, 'D/trunk/1'), 0.2), 'D/trunk/2'), 0.2), 'D/logit/0');

    const dctx = p.ctx(true, B, 'd/0');
    const rng = mulberry32(dctx.nextSeed());
    const real = tf.tensor2d(Array.from({ length: B }, () => toyPoint('ring8', rng, 0.02)));
    const z1 = tf.randomNormal([B, 2], 0, 1, 'float32', dctx.nextSeed());
    const dLoss = () =>
      tf.add(tf.mean(tf.softplus(tf.neg(D(real)))), tf.mean(tf.softplus(D(G(z1))))) as tf.Scalar;
    compareGradients(p, 0, w, dLoss, 6);

    const gctx = p.ctx(true, B, 'g/0');
    const z2 = tf.randomNormal([B, 2], 0, 1, 'float32', gctx.nextSeed());
    const gLoss = () => tf.mean(tf.softplus(tf.neg(D(G(z2))))) as tf.Scalar;
    compareGradients(p, 1, w, gLoss, 6);
    p.dispose();
  });
});

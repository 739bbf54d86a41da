/**
 * Where one training iteration spends its time: a per-kernel breakdown (TF.js's profiler) of each
 * template on a backend, and how much of the wall time the kernels account for (the rest is the
 * engine: dispatch, bookkeeping, gradient tape, memory).
 *   npx tsx bench/profile.ts [--backend wasm] [--templates vae,infogan] [--top 12] [--handwritten]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../src/core/compiler/compile';
import { loadDocument } from '../src/core/document/load';
import { TEMPLATES } from '../src/core/templates';
import { nodeData, setupBackend } from '../src/cli/common';
import { TrainingProgram } from '../src/runtime/program';
import { handwrittenVae } from './handwritten/vae';
import { loadMnistNode } from '../src/runtime/data/mnist-node';
import { mnistBatch } from '../src/core/kinds/mnist-batch';
import { mulberry32 } from '../src/core/random';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    templates: { type: 'string', default: 'vae,gan-2d,aae,ddpm-2d,infogan,cyclegan,ddpm' },
    top: { type: 'string', default: '12' },
    handwritten: { type: 'boolean', default: false },
  },
});

await setupBackend(values.backend!);

async function profileStep(label: string, step: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await step();
  const t0 = performance.now();
  await step();
  const wall = performance.now() - t0;
  const info = await tf.profile(async () => {
    await step();
  });
  const by = new Map<string, { n: number; ms: number }>();
  let kernelMs = 0;
  // Ops that run as a composite (fusedMatMul__op) are listed beside the kernels they call: count kernels only.
  const kernels = info.kernels.filter((k) => !k.name.endsWith('__op'));
  for (const k of kernels) {
    const ms = Number(await k.kernelTimeMs) || 0;
    kernelMs += ms;
    const e = by.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += ms;
    by.set(k.name, e);
  }
  const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top));
  console.log(`\n### ${label} (${values.backend})\n`);
  console.log(
    `one iteration: ${wall.toFixed(1)} ms wall, ${kernels.length} kernels taking ${kernelMs.toFixed(1)} ms ` +
      `(${((100 * kernelMs) / wall).toFixed(0)}%), so ${(wall - kernelMs).toFixed(1)} ms outside kernels\n`,
  );
  console.log('| kernel | calls | ms | share of kernel time |\n| --- | --- | --- | --- |');
  for (const [name, e] of rows)
    console.log(`| ${name} | ${e.n} | ${e.ms.toFixed(2)} | ${((100 * e.ms) / kernelMs).toFixed(1)}% |`);
}

for (const id of values.templates!.split(',')) {
  const doc = loadDocument(TEMPLATES.find((t) => t.id === id)!.json).doc!;
  const p = new TrainingProgram(tf, compile(doc).program!, nodeData);
  await profileStep(doc.title, () => p.step(false));
  p.dispose();
}
if (values.handwritten) {
  const h = handwrittenVae(tf, 128);
  const train = loadMnistNode('train');
  const rng = mulberry32(1);
  await profileStep('VAE written by hand', async () =>
    h.step(mnistBatch(train, 128, rng, true, '0..1').images),
  );
  h.dispose();
}

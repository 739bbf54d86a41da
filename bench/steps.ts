/**
 * Training speed in Node: iterations/s of every template (full size) on each backend, and the compiled
 * VAE against the same VAE written by hand. Each figure is the median of several timed runs.
 *   npx tsx bench/steps.ts [--backends wasm,cpu] [--runs 3] [--seconds 6] [--templates vae,gan-2d]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../src/core/compiler/compile';
import { loadDocument } from '../src/core/document/load';
import { mnistBatch } from '../src/core/kinds/mnist-batch';
import { mulberry32 } from '../src/core/random';
import { TEMPLATES } from '../src/core/templates';
import { nodeData, setupBackend } from '../src/cli/common';
import { loadMnistNode } from '../src/runtime/data/mnist-node';
import { TrainingProgram } from '../src/runtime/program';
import { handwrittenVae } from './handwritten/vae';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    templates: { type: 'string', default: TEMPLATES.map((t) => t.id).join(',') },
  },
});
const runs = Number(values.runs);
const budget = Number(values.seconds) * 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times f repeatedly for about `budget` ms after two warm-up calls; returns calls per second. */
async function rate(f: () => Promise<void> | void): Promise<number> {
  await f();
  await f();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < budget) {
    await f();
    n++;
  }
  // A readback so queued work counts (WebGL-style backends run asynchronously).
  await tf.ready();
  return (n * 1000) / (performance.now() - t0);
}

const rows: string[] = [];
for (const backend of values.backends!.split(',')) {
  await setupBackend(backend);
  for (const id of values.templates!.split(',')) {
    const t = TEMPLATES.find((x) => x.id === id)!;
    const doc = loadDocument(t.json).doc!;
    const p = new TrainingProgram(tf, compile(doc).program!, nodeData);
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) rates.push(await rate(() => p.step(false).then(() => undefined)));
    p.dispose();
    rows.push(
      `| ${t.title} | ${backend} | ${doc.training.batchSize} | ${median(rates).toFixed(2)} | ${rates.map((x) => x.toFixed(2)).join(', ')} |`,
    );
    console.error(rows.at(-1));
  }
}

// Compiled VAE against the hand-written one, alternating runs so both see the same machine load.
const vaeRows: string[] = [];
for (const backend of values.backends!.split(',')) {
  await setupBackend(backend);
  const doc = loadDocument(TEMPLATES.find((x) => x.id === 'vae')!.json).doc!;
  const B = doc.training.batchSize;
  const compiled = new TrainingProgram(tf, compile(doc).program!, nodeData);
  const hand = handwrittenVae(tf, B);
  const train = loadMnistNode('train');
  const rng = mulberry32(1);
  const c: number[] = [];
  const h: number[] = [];
  for (let r = 0; r < runs; r++) {
    c.push(await rate(() => compiled.step(false).then(() => undefined)));
    h.push(await rate(() => hand.step(mnistBatch(train, B, rng, true, '0..1').images)));
  }
  compiled.dispose();
  hand.dispose();
  const ratios = c.map((x, i) => x / h[i]!);
  vaeRows.push(
    `| VAE | ${backend} | ${median(c).toFixed(2)} | ${median(h).toFixed(2)} | ${median(ratios).toFixed(3)} |`,
  );
  console.error(vaeRows.at(-1));
}

console.log(`Node ${process.version}, ${runs} runs of ${budget / 1000} s each (median; all runs listed)\n`);
console.log('| template | backend | batch | iterations/s | runs |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(
  '\n| model | backend | compiled it/s | hand-written it/s | ratio (median of paired runs) |\n|---|---|---|---|---|',
);
console.log(vaeRows.join('\n'));

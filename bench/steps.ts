/**
 * Training speed in Node: iterations/s of every template (full size) on each backend, and the compiled
 * VAE and InfoGAN against the same models written by hand. Each figure is the median of several timed runs.
 * The hand-written models run twice on wasm: on TF.js's kernels as shipped (plus the two it lacks, without
 * which nothing with a convolution trains), which is what a TF.js user gets, and on the runtime's kernels,
 * which isolates what the compiled program itself costs.
 *   npx tsx bench/steps.ts [--backends wasm,cpu] [--runs 3] [--seconds 6] [--templates vae,gan-2d]
 *     [--threads N] (wasm threads, default 1) [--preset NAME] (a preset of each template, where it has one)
 *     [--once] (time one iteration per run, no warm-up: for cells where an iteration takes minutes)
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../src/core/compiler/compile';
import { loadDocument } from '../src/core/document/load';
import { applyPreset } from '../src/core/document/presets';
import { mnistBatch } from '../src/core/kinds/mnist-batch';
import { mulberry32 } from '../src/core/random';
import { TEMPLATES } from '../src/core/templates';
import { nodeData, setupBackend } from '../src/cli/common';
import { loadMnistNode } from '../src/runtime/data/mnist-node';
import { wasmThreads } from '../src/runtime/node-backend';
import { TrainingProgram } from '../src/runtime/program';
import { registerWasmKernels, useStockWasmKernels } from '../src/runtime/wasm-kernels';
import { handwrittenVae } from './handwritten/vae';
import { INFOGAN_FULL, handwrittenInfogan } from './handwritten/infogan';
import type { GraphDocument } from '../src/core/document/schema';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    templates: { type: 'string', default: TEMPLATES.map((t) => t.id).join(',') },
    threads: { type: 'string', default: '1' },
    once: { type: 'boolean', default: false },
    preset: { type: 'string' },
  },
});
const runs = Number(values.runs);
const budget = Number(values.seconds) * 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Times f repeatedly for about `budget` ms after two warm-up calls; returns calls per second. With
 * --once, for the backends where one iteration takes minutes (conv templates on cpu): one call, no
 * warm-up (cpu compiles nothing, so the first call is a fair one).
 */
async function rate(f: () => Promise<void> | void): Promise<number> {
  if (values.once) {
    const t0 = performance.now();
    await f();
    await tf.ready();
    return 1000 / (performance.now() - t0);
  }
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
  await setupBackend(backend, Number(values.threads));
  for (const id of values.templates!.split(',')) {
    const t = TEMPLATES.find((x) => x.id === id)!;
    const loaded = loadDocument(t.json).doc!;
    const doc =
      values.preset && loaded.presets?.[values.preset] ? applyPreset(loaded, values.preset) : loaded;
    const p = new TrainingProgram(tf, compile(doc).program!, nodeData);
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) rates.push(await rate(() => p.step(false).then(() => undefined)));
    p.dispose();
    rows.push(
      `| ${t.title}${doc === loaded ? '' : ` (${values.preset})`} | ${backend}${backend === 'wasm' ? `, ${wasmThreads()} thread(s)` : ''} | ${doc.training.batchSize} | ${median(rates).toFixed(2)} | ${rates.map((x) => x.toFixed(2)).join(', ')} |`,
    );
    console.error(rows.at(-1));
  }
}

// Compiled against hand-written (VAE, InfoGAN), alternating runs so both see the same machine load.
const handRows: string[] = [];
const handMade: Record<string, (doc: GraphDocument) => { step(real: Float32Array): void; dispose(): void }> =
  {
    vae: (doc) => handwrittenVae(tf, doc.training.batchSize),
    infogan: (doc) => {
      const G = doc.nodes.G!.params as { hidden: number[]; channels: [number, number] };
      const D = doc.nodes.D!.params as { hidden: number[]; channels: [number, number]; qHidden?: number };
      return handwrittenInfogan(tf, doc.training.batchSize, {
        gHidden: G.hidden[0]!,
        gChannels: G.channels,
        dChannels: D.channels,
        dHidden: D.hidden[0]!,
        qHidden: D.qHidden ?? INFOGAN_FULL.qHidden,
      });
    },
  };
for (const backend of values.backends!.split(',')) {
  for (const id of values.templates!.split(',').filter((t) => t in handMade)) {
    await setupBackend(backend, Number(values.threads));
    const loaded = loadDocument(TEMPLATES.find((x) => x.id === id)!.json).doc!;
    const doc =
      values.preset && loaded.presets?.[values.preset] ? applyPreset(loaded, values.preset) : loaded;
    const B = doc.training.batchSize;
    const compiled = new TrainingProgram(tf, compile(doc).program!, nodeData);
    const hand = handMade[id]!(doc);
    const train = loadMnistNode('train');
    const rng = mulberry32(1);
    // The VAE's likelihood is Bernoulli on binarized digits; InfoGAN sees grey values.
    const batch = () => mnistBatch(train, B, rng, id === 'vae', '0..1').images;
    const wasm = backend === 'wasm';
    const c: number[] = [];
    const h: number[] = [];
    const s: number[] = [];
    for (let r = 0; r < runs; r++) {
      c.push(await rate(() => compiled.step(false).then(() => undefined)));
      h.push(await rate(() => hand.step(batch())));
      if (!wasm) continue;
      useStockWasmKernels();
      s.push(await rate(() => hand.step(batch())));
      registerWasmKernels();
    }
    compiled.dispose();
    hand.dispose();
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
    const ratios = c.map((x, i) => x / h[i]!);
    const stockRatios = c.map((x, i) => x / s[i]!);
    handRows.push(
      `| ${id}${doc === loaded ? '' : ` (${values.preset})`} | ${backend}${wasm ? `, ${wasmThreads()} thread(s)` : ''} | ${median(c).toFixed(2)} | ${wasm ? median(s).toFixed(2) : '—'} | ${wasm ? median(stockRatios).toFixed(3) : '—'} | ${median(h).toFixed(2)} | ${median(ratios).toFixed(3)} | ${wasm ? fmt(stockRatios) : '—'} / ${fmt(ratios)} |`,
    );
    console.error(handRows.at(-1));
  }
}

console.log(`Node ${process.version}, ${runs} runs of ${budget / 1000} s each (median; all runs listed)\n`);
console.log('| template | backend | batch | iterations/s | runs |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(
  '\n| model | backend | compiled it/s | hand-written, TF.js kernels it/s | ratio | hand-written, our kernels it/s | ratio | ratios (TF.js kernels / ours) |\n|---|---|---|---|---|---|---|---|',
);
console.log(handRows.join('\n'));

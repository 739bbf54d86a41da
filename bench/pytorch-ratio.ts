/**
 * The compiled VAE or InfoGAN (TF.js wasm, Node) against the same model in PyTorch on one CPU thread
 * (bench/pytorch_vae.py, bench/pytorch_infogan.py; Debian's python3-torch), alternating, several runs;
 * ratio of medians. GenGraph runs --threads wasm threads (default 1, the fair match for one torch thread).
 * Debian's torch calls the system BLAS: without libopenblas0-pthread it gets the reference BLAS and
 * runs about 12× slower (`apt-get install -y python3-torch libopenblas0-pthread`).
 *   npx tsx bench/pytorch-ratio.ts [--model vae|infogan] [--preset scaled] [--threads 1] [--runs 3] [--seconds 6]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../src/core/compiler/compile';
import { loadDocument } from '../src/core/document/load';
import { applyPreset } from '../src/core/document/presets';
import { templateById } from '../src/core/templates';
import { nodeData, setupBackend } from '../src/cli/common';
import { wasmThreads } from '../src/runtime/node-backend';
import { TrainingProgram } from '../src/runtime/program';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    model: { type: 'string', default: 'vae' },
    preset: { type: 'string' },
    threads: { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const model = values.model!;
if (!['vae', 'infogan'].includes(model)) throw new Error('--model is vae or infogan');
await setupBackend('wasm', Number(values.threads));
const loaded = loadDocument(templateById(model)!.json).doc!;
const doc = values.preset ? applyPreset(loaded, values.preset) : loaded;
const p = new TrainingProgram(tf, compile(doc).program!, nodeData);
const ours: number[] = [];
const torch: number[] = [];
let version = '';
for (let r = 0; r < runs; r++) {
  for (let i = 0; i < 3; i++) await p.step(false);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await p.step(false);
    n++;
  }
  await p.step(true);
  ours.push(((n + 1) * 1000) / (performance.now() - t0));
  const out = execFileSync(
    '/usr/bin/python3',
    [
      `bench/pytorch_${model}.py`,
      '--seconds',
      String(seconds),
      '--batch',
      String(doc.training.batchSize),
      ...(values.preset === 'scaled' ? ['--scaled'] : []),
    ],
    {
      encoding: 'utf8',
      // One thread for every library torch may call (its own pool, OpenMP, OpenBLAS).
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    },
  );
  const j = JSON.parse(out.trim().split('\n').at(-1)!) as { itPerSec: number; torch: string };
  torch.push(j.itPerSec);
  version = j.torch;
  console.error(
    `run ${r + 1}: GenGraph wasm ${ours.at(-1)!.toFixed(2)} it/s, PyTorch ${j.itPerSec.toFixed(2)} it/s`,
  );
}
p.dispose();
console.log(
  `| ${doc.title}${values.preset ? ` (${values.preset})` : ''}, batch ${doc.training.batchSize}, ${wasmThreads()} wasm thread(s) | ${median(ours).toFixed(2)} | ${median(torch).toFixed(2)} (torch ${version}, 1 thread) | ${(median(torch) / median(ours)).toFixed(2)}× | ${ours.map((x) => x.toFixed(2)).join(', ')} / ${torch.map((x) => x.toFixed(2)).join(', ')} |`,
);

/**
 * DDPM on MNIST (bars, 2,000 samples): Fréchet distance ≤ 0.25 × that of blurred real digits,
 * confident share (max probability > 0.9) ≥ 0.75, every digit's share 0.05–0.16, copy check passes
 * (≤ 3% of samples within L2 1.25 of a training digit).
 *   npx tsx bench/reproduce/ddpm.ts --checkpoint runs/ddpm-seed1/checkpoint [--n 2000] [--chunk 100]
 *     [--preset NAME] [--backend wasm|webgpu] [--threads N] [--steps S] [--shard I/N]
 * Sampling is the slow part (every sample takes T = 1,000 U-Net evaluations), so each chunk of samples
 * is written to <run>/samples/iteration-N/ as it finishes and a rerun skips the chunks already there: a stopped
 * scoring run resumes where it stopped. Samples come from the weights' moving average, as in training.
 * --steps S sets the sampler's reverse steps (respaced, Nichol & Dhariwal 2021); the default is the
 * document's (all T = 1,000 in the template). Samples of each setting go to a folder of their own.
 * --shard I/N draws only chunks k with k mod N = I, so N processes (one per core) sample at once; each
 * chunk's noise is keyed by k alone, so the samples are the same as one process would draw. A shard
 * scores only once every chunk is on disk: once its own are drawn it looks again for the others', so the
 * shard that finishes last scores (or run any shard again).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPreset } from '../../src/core/document/presets';
import { compile } from '../../src/core/compiler/compile';
import type { Tensor } from '../../src/core/kinds/types';
import { readCheckpoint } from '../../src/cli/checkpoint-files';
import { nodeData, readDocument, setupBackend } from '../../src/cli/common';
import { restoreCheckpoint } from '../../src/runtime/checkpoint';
import { TrainingProgram } from '../../src/runtime/program';
import { scoreSamples } from '../../src/runtime/scoring/metrics';
import { args, sampleScoreFields, tf, writeJson } from './common';

const a = args({
  checkpoint: { type: 'string' },
  doc: { type: 'string', default: 'templates/ddpm.json' },
  preset: { type: 'string' },
  n: { type: 'string', default: '2000' },
  chunk: { type: 'string', default: '100' },
  backend: { type: 'string', default: 'wasm' },
  threads: { type: 'string', default: '1' },
  steps: { type: 'string' },
  out: { type: 'string' },
  shard: { type: 'string', default: '0/1' },
});
const run = String(a.checkpoint).replace(/\/checkpoint\/?$/, '');
const n = Number(a.n);
const chunk = Number(a.chunk);
const [shard, shards] = String(a.shard).split('/').map(Number) as [number, number];
if (!(shards >= 1 && shard >= 0 && shard < shards))
  throw new Error(`--shard ${a.shard}: expected I/N with 0 ≤ I < N`);

await setupBackend(a.backend as string, Number(a.threads));
let doc = readDocument(a.doc as string);
if (a.preset) doc = applyPreset(doc, a.preset as string);
const sampler = Object.values(doc.nodes).find((x) => x.kind === 'diffusion.sampler');
if (!sampler) throw new Error(`${a.doc}: no diffusion.sampler node`);
if (a.steps !== undefined) sampler.params.steps = Number(a.steps);
const steps = Number(sampler.params.steps ?? 0);
const compiled = compile(doc);
if (!compiled.program) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
const program = new TrainingProgram(tf, compiled.program, nodeData);
const ck = readCheckpoint(a.checkpoint as string);
await restoreCheckpoint(program, ck.manifest, ck.data);
const out = compiled.program.outputs.samples;
if (!out) throw new Error(`${a.doc}: no output named 'samples'`);

// Samples belong to one checkpoint: a run trained further gets a fresh folder.
const dir = join(run, 'samples', `iteration-${program.iteration}${steps > 0 ? `-steps-${steps}` : ''}`);
mkdirSync(dir, { recursive: true });
const t0 = performance.now();
let sampled = 0;
const samples = new Float32Array(n * 784);
const missing: number[] = [];
// The chunk's file names its size, so a rerun with another --chunk does not reuse a wrong one.
const chunkFile = (k: number) => join(dir, `chunk-${k}-of-${chunk}.f32`);
/** Copies chunk k into samples if it is on disk; false if it is not (yet). */
function readChunk(k: number): boolean {
  const file = chunkFile(k);
  if (!existsSync(file)) return false;
  const s = k * chunk;
  const bytes = readFileSync(file);
  samples.set(new Float32Array(bytes.buffer, bytes.byteOffset, Math.min(chunk, n - s) * 784), s * 784);
  return true;
}
for (let s = 0, k = 0; s < n; s += chunk, k++) {
  const m = Math.min(chunk, n - s);
  const file = chunkFile(k);
  if (!existsSync(file) && k % shards === shard) {
    const t = performance.now();
    const [v] = program.evaluate([out], m, `score/${k}`);
    const data = Float32Array.from((v as Tensor).dataSync());
    (v as Tensor).dispose();
    // [−1, 1] → [0, 1], the range the classifier reads.
    for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, (data[i]! + 1) / 2));
    // Written whole and then renamed, so another shard never reads half a chunk.
    writeFileSync(`${file}.partial`, data);
    renameSync(`${file}.partial`, file);
    sampled += m;
    process.stderr.write(`${s + m}/${n} samples (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  if (!readChunk(k)) missing.push(k);
}
// Another shard's chunks may have landed while this one sampled its own: look again before giving up,
// so whichever shard finishes last scores.
missing.splice(0, missing.length, ...missing.filter((k) => !readChunk(k)));
const sampleSeconds = (performance.now() - t0) / 1000;
if (missing.length) {
  process.stderr.write(
    `shard ${shard}/${shards} done; chunks ${missing.join(', ')} are another shard's and not on disk yet, so no score\n`,
  );
  program.dispose();
  process.exit(0);
}
const score = scoreSamples(samples);
writeJson((a.out as string) ?? `${run}/eval.json`, {
  samples: n,
  reverseSteps: steps > 0 ? steps : 'all T',
  ...sampleScoreFields(score),
  // Only the samples drawn by this invocation; the rest were read back from earlier ones.
  sampledNow: sampled,
  sampleSeconds: Math.round(sampleSeconds),
  seconds: Math.round((performance.now() - t0) / 1000),
  bars: {
    fdBlurRatio: '≤ 0.25',
    confidentShare: '≥ 0.75',
    classShares: '0.05–0.16 each',
    copyShare: '≤ 0.03',
  },
});
program.dispose();

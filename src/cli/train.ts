import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile } from '../core/compiler/compile';
import type { GraphDocument } from '../core/document/schema';
import { formatDiagnostic, hasErrors } from '../core/diagnostics';
import { wasmThreads } from '../runtime/node-backend';
import { restoreCheckpoint } from '../runtime/checkpoint';
import { TrainingProgram } from '../runtime/program';
import {
  UsageError,
  fail,
  nodeData,
  positiveInt,
  readDocument,
  setupBackend,
  tf,
  threadsOption,
} from './common';
import { readCheckpoint, writeCheckpoint } from './checkpoint-files';

const USAGE = `usage: npm run train -- <document.json | template id> [options]

  --steps N        iterations to run (default: the document's training.iterations)
  --batch B        batch size (default: the document's)
  --seed S         run seed (default: the document's)
  --backend NAME   wasm (default, fastest on a CPU), cpu, or webgpu (Dawn; fast with a GPU)
  --threads N      wasm threads, 1–8 (default: every core)
  --preset NAME    apply a preset of the document first, e.g. tiny (several: thicken,tiny)
  --out DIR        where metrics.jsonl, summary.json and checkpoint/ go (default: runs/<title>)
  --log-every N    read losses back every N iterations (default: the document's logEvery)
  --save-every N   also write the checkpoint every N iterations, so a stopped run can resume
                   (default: 1000; 0: only at the end)
  --resume DIR     continue from a checkpoint (weights, optimizer state, iteration) up to --steps;
                   with the same options the run draws what it would have drawn unstopped`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      steps: { type: 'string' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string' },
      preset: { type: 'string' },
      out: { type: 'string' },
      'log-every': { type: 'string' },
      'save-every': { type: 'string' },
      resume: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one document');
  const doc = readDocument(positionals[0]!, values.preset);

  const t = doc.training;
  t.iterations = positiveInt(values.steps, '--steps') ?? t.iterations;
  t.batchSize = positiveInt(values.batch, '--batch') ?? t.batchSize;
  t.seed = positiveInt(values.seed, '--seed') ?? t.seed;
  t.logEvery = positiveInt(values['log-every'], '--log-every') ?? t.logEvery;
  const saveEvery = positiveInt(values['save-every'], '--save-every') ?? 1000;
  const resume = values.resume ? readCheckpoint(values.resume) : undefined;
  const threads = threadsOption(values.threads);
  const backend = await setupBackend(values.backend!, threads);

  const compiled = compile(doc);
  for (const d of compiled.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(compiled.diagnostics) || !compiled.program) return 1;

  const out = values.out ?? join('runs', doc.title.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase());
  mkdirSync(out, { recursive: true });
  const metricsPath = join(out, 'metrics.jsonl');
  const program = new TrainingProgram(tf, compiled.program, nodeData);
  if (resume) {
    await restoreCheckpoint(program, resume.manifest, resume.data);
    if (program.iteration >= t.iterations)
      throw new UsageError(
        `the checkpoint is at iteration ${program.iteration} already; ask for more --steps`,
      );
  }
  // A resumed run keeps the metrics logged up to its checkpoint and drops any logged after it.
  const kept = resume && existsSync(metricsPath) ? metricsUpTo(metricsPath, program.iteration) : '';
  writeFileSync(metricsPath, kept);
  const first = program.iteration;
  const tty = process.stderr.isTTY;
  const start = performance.now();
  let windowStart = start;
  let windowSteps = 0;
  // Without a terminal (a log file, CI, nohup) the bar is replaced by a plain line: the first read,
  // then one every PLAIN_EVERY_MS, then the last, so a background run can be followed with tail.
  let plainAt = -Infinity;
  let last: Record<string, number> = {};
  let status: 'finished' | 'diverged' = 'finished';
  let message = '';
  for (let i = first; i < t.iterations; i++) {
    const read = (i + 1) % t.logEvery === 0 || i === t.iterations - 1;
    const results = await program.step(read);
    windowSteps++;
    if (saveEvery > 0 && (i + 1) % saveEvery === 0 && i < t.iterations - 1)
      await saveCheckpoint(join(out, 'checkpoint'), program, doc);
    if (!read) continue;
    const now = performance.now();
    const stepsPerSec = (windowSteps * 1000) / (now - windowStart);
    windowStart = now;
    windowSteps = 0;
    last = Object.assign({}, ...results.map((r) => r.losses));
    appendFileSync(
      metricsPath,
      `${JSON.stringify({ step: i + 1, losses: last, stepsPerSec: round(stepsPerSec), seconds: round((now - start) / 1000), tensors: tf.memory().numTensors })}\n`,
    );
    const bad = Object.entries(last).find(([, v]) => !Number.isFinite(v));
    if (bad) {
      status = 'diverged';
      message = `the loss '${bad[0]}' (${compiled.program.nodes[bad[0]]!.label}) became ${bad[1]} at step ${i + 1}; training stopped`;
      break;
    }
    if (tty)
      process.stderr.write(
        `\r${bar(i + 1, t.iterations)} ${(i + 1).toString().padStart(6)}/${t.iterations} ${stepsPerSec.toFixed(1)} it/s ${fmt(last)}   `,
      );
    else if (now - plainAt >= PLAIN_EVERY_MS || i === t.iterations - 1) {
      plainAt = now;
      const eta = (t.iterations - i - 1) / ((i + 1 - first) / ((now - start) / 1000));
      process.stderr.write(
        `step ${i + 1}/${t.iterations} ${stepsPerSec.toFixed(1)} it/s ${fmt(last)}${i < t.iterations - 1 ? ` eta ${duration(eta)}` : ''}\n`,
      );
    }
  }
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - start) / 1000;
  await saveCheckpoint(join(out, 'checkpoint'), program, doc);
  const summary = {
    title: doc.title,
    status,
    ...(message ? { message } : {}),
    iterations: program.iteration,
    ...(resume ? { resumedFrom: first } : {}),
    batchSize: t.batchSize,
    seed: t.seed,
    backend,
    ...(backend === 'wasm' ? { threads: wasmThreads() } : {}),
    seconds: round(seconds),
    iterationsPerSec: round((program.iteration - first) / seconds),
    finalLosses: last,
    command: ['npm run train --', ...process.argv.slice(2)].join(' '),
  };
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  program.dispose();
  if (status === 'diverged') {
    process.stderr.write(`${message}\n`);
    return 3;
  }
  process.stderr.write(
    `done: ${program.iteration} iterations in ${seconds.toFixed(1)} s on ${backend}${backend === 'wasm' ? ` (${wasmThreads()} thread${wasmThreads() === 1 ? '' : 's'})` : ''}; wrote ${out}/\n`,
  );
  return 0;
}

const PLAIN_EVERY_MS = 60_000;

/** 95 → "1 min 35 s", 4000 → "1 h 7 min". */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Writes next to the old checkpoint, then swaps: a run killed while saving keeps the last good one. */
async function saveCheckpoint(dir: string, program: TrainingProgram, doc: GraphDocument): Promise<void> {
  await writeCheckpoint(`${dir}.partial`, program, doc);
  rmSync(dir, { recursive: true, force: true });
  renameSync(`${dir}.partial`, dir);
}

function metricsUpTo(path: string, iteration: number): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && (JSON.parse(l) as { step: number }).step <= iteration)
    .map((l) => `${l}\n`)
    .join('');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function fmt(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
    .join(' ');
}

function bar(done: number, total: number, width = 24): string {
  const n = Math.round((done / total) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

main().then(
  (code) => process.exit(code),
  (e) => fail(USAGE, e),
);

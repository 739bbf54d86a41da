import * as tf from '@tensorflow/tfjs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { printProgram } from '../core/codegen';
import { compile } from '../core/compiler/compile';
import type { Program } from '../core/compiler/ir';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import type { DataProvider } from '../core/kinds/types';
import { loadMnistNode } from './data/mnist-node';
import { TrainingProgram } from './program';

/**
 * The harness of the codegen tests (codegen.test.ts, codegen-kinds.test.ts). A printed program is
 * checked by running it: printed, written to a file and imported as a plain ES module, it must train
 * to the runtime's losses step for step, end with the same weights, and give the same outputs.
 */
export const ITERATIONS = 3;
const TOLERANCE = 1e-5;
const data: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };
// Inside node_modules so that the module's `import '@tensorflow/tfjs'` resolves to this project's copy.
const dir = fileURLToPath(new URL('../../node_modules/.cache/gengraph-codegen/', import.meta.url));

interface StepLosses {
  iteration: number;
  phase: string;
  step: number;
  losses: Record<string, number>;
}
interface ExportedModel {
  vars: { vars: Map<string, tf.Variable> };
  dispose(): void;
}
interface Exported {
  train(o: {
    data: DataProvider;
    iterations: number;
    onLoss: (r: StepLosses) => void;
  }): Promise<ExportedModel>;
  evaluate(model: ExportedModel, name: string, batchSize?: number): unknown;
}

export function tinyProgram(json: unknown): Program {
  const r = compile(applyPreset(loadDocument(structuredClone(json)).doc!, 'tiny'));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.program!;
}

async function importPrinted(name: string, text: string): Promise<Exported> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${process.pid}-${Date.now()}.mjs`;
  writeFileSync(file, text);
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Exported;
  } finally {
    rmSync(file);
  }
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);

function largestRelDiff(a: Float32Array | Int32Array | Uint8Array, b: typeof a): number {
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / scale;
}

/** Tensors of an output value: a tensor, or a gaussian's mean and log-variance. */
function tensorsOf(v: unknown): tf.Tensor[] {
  if (v instanceof tf.Tensor) return [v];
  const g = v as { mean?: tf.Tensor; logvar?: tf.Tensor };
  return [g.mean, g.logvar].filter((t): t is tf.Tensor => t instanceof tf.Tensor);
}

/** Trains the printed program and the runtime side by side; returns the largest differences. */
export async function compareWithRuntime(name: string, program: Program, iterations = ITERATIONS) {
  const mod = await importPrinted(name, printProgram(program));

  const printed: StepLosses[] = [];
  const model = await mod.train({ data, iterations, onLoss: (r) => printed.push(r) });

  const runtime = new TrainingProgram(tf, program, data);
  const expected: StepLosses[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (const ph of program.phases) {
      for (let step = 0; step < ph.steps; step++) {
        const r = await runtime.stepPhase(ph, step, true);
        expected.push({ iteration, phase: ph.id, step, losses: r.losses! });
      }
    }
    runtime.iteration++;
  }

  expect(printed.map((r) => [r.iteration, r.phase, r.step, Object.keys(r.losses)])).toEqual(
    expected.map((r) => [r.iteration, r.phase, r.step, Object.keys(r.losses)]),
  );
  let losses = 0;
  expected.forEach((want, i) => {
    for (const [loss, value] of Object.entries(want.losses)) {
      const got = printed[i]!.losses[loss]!;
      const d = relDiff(got, value);
      losses = Math.max(losses, d);
      expect(
        d,
        `${want.phase}/${want.step} iteration ${want.iteration}: ${loss} ${got} vs ${value}`,
      ).toBeLessThan(TOLERANCE);
    }
  });

  // The same variables by logical name, with the same values after training.
  const theirVars = new Map(runtime.store.named());
  expect([...model.vars.vars.keys()]).toEqual([...theirVars.keys()]);
  let weights = 0;
  for (const [v, w] of model.vars.vars) {
    const d = largestRelDiff(w.dataSync() as Float32Array, theirVars.get(v)!.dataSync() as Float32Array);
    weights = Math.max(weights, d);
    expect(d, v).toBeLessThan(TOLERANCE);
  }

  // Every named output, outside training, with the same seeds (and moving averages, where kept).
  let outputs = 0;
  for (const [out, ref] of Object.entries(program.outputs)) {
    const mine = tensorsOf(mod.evaluate(model, out, 4));
    const theirs = runtime.evaluate([ref], 4).flatMap(tensorsOf);
    expect(mine.length, out).toBe(theirs.length);
    mine.forEach((m, k) => {
      const d = largestRelDiff(m.dataSync() as Float32Array, theirs[k]!.dataSync() as Float32Array);
      outputs = Math.max(outputs, d);
      expect(d, `output ${out}`).toBeLessThan(TOLERANCE);
    });
    tf.dispose([...mine, ...theirs]);
  }
  model.dispose();
  runtime.dispose();
  const steps = expected.length;
  console.log(
    `${name}: ${steps} steps; largest relative difference: losses ${losses.toExponential(2)}, ` +
      `weights ${weights.toExponential(2)}, outputs ${outputs.toExponential(2)}`,
  );
}

/** A graph document from a compact description: `wires` as 'node.port -> node.port'. */
export function graph(
  title: string,
  nodes: Record<string, [kind: string, params?: Record<string, unknown>, shares?: string]>,
  wires: string[],
  training: Record<string, unknown>,
  outputs: Record<string, string>,
): Program {
  const ref = (s: string) => ({ node: s.split('.')[0]!, port: s.split('.')[1]! });
  const json = {
    format: 'gengraph',
    version: 1,
    title,
    nodes: Object.fromEntries(
      Object.entries(nodes).map(([id, [kind, params = {}, shares]]) => [
        id,
        { kind, position: { x: 0, y: 0 }, params, ...(shares ? { shares } : {}) },
      ]),
    ),
    edges: Object.fromEntries(
      wires.map((w, i) => {
        const [from, to] = w.split('->').map((x) => x.trim());
        return [`e${i}`, { source: ref(from!), target: ref(to!) }];
      }),
    ),
    training,
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, ref(v)])),
  };
  const loaded = loadDocument(json);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = compile(loaded.doc!);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.program!;
}

import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { printProgram } from '../core/codegen';
import { compile } from '../core/compiler/compile';
import type { Program } from '../core/compiler/ir';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import type { DataProvider } from '../core/kinds/types';
import { TEMPLATES } from '../core/templates';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';

/**
 * The printed program is checked by running it: every template's tiny preset, printed, written to a
 * file and imported as a plain ES module, must train to the runtime's losses step for step, end with
 * the same weights, and give the same outputs.
 */
const ITERATIONS = 3;
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
  iteration: number;
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

function tinyProgram(json: unknown): Program {
  const r = compile(applyPreset(loadDocument(structuredClone(json)).doc!, 'tiny'));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.program!;
}

async function importPrinted(name: string, text: string): Promise<Exported> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${process.pid}-${Date.now()}.mjs`;
  writeFileSync(file, text);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Exported;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);
}

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

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('printed program: %s (tiny)', (id, t) => {
  it(`trains ${ITERATIONS} iterations to the runtime's losses, weights and outputs`, async () => {
    const program = tinyProgram(t.json);
    const mod = await importPrinted(id, printProgram(program));

    const printed: StepLosses[] = [];
    const model = await mod.train({ data, iterations: ITERATIONS, onLoss: (r) => printed.push(r) });

    const runtime = new TrainingProgram(tf, program, data);
    const expected: StepLosses[] = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
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
    let worst = 0;
    expected.forEach((want, i) => {
      for (const [loss, value] of Object.entries(want.losses)) {
        const got = printed[i]!.losses[loss]!;
        const d = relDiff(got, value);
        worst = Math.max(worst, d);
        expect(
          d,
          `${want.phase}/${want.step} iteration ${want.iteration}: ${loss} ${got} vs ${value}`,
        ).toBeLessThan(TOLERANCE);
      }
    });

    // The same variables by logical name, with the same values after training.
    const ours = new Map(runtime.store.named());
    expect([...model.vars.vars.keys()]).toEqual([...ours.keys()]);
    let worstVar = 0;
    for (const [name, v] of model.vars.vars) {
      const d = largestRelDiff(v.dataSync() as Float32Array, ours.get(name)!.dataSync() as Float32Array);
      worstVar = Math.max(worstVar, d);
      expect(d, name).toBeLessThan(TOLERANCE);
    }

    // Every named output, outside training, with the same seeds.
    let worstOut = 0;
    for (const [name, ref] of Object.entries(program.outputs)) {
      const mine = tensorsOf(mod.evaluate(model, name, 4));
      const theirs = runtime.evaluate([ref], 4).flatMap(tensorsOf);
      expect(mine.length, name).toBe(theirs.length);
      mine.forEach((m, k) => {
        const d = largestRelDiff(m.dataSync() as Float32Array, theirs[k]!.dataSync() as Float32Array);
        worstOut = Math.max(worstOut, d);
        expect(d, `output ${name}`).toBeLessThan(TOLERANCE);
      });
      tf.dispose([...mine, ...theirs]);
    }
    console.log(
      `${id}: ${expected.length} steps; largest relative difference: losses ${worst.toExponential(2)}, ` +
        `weights ${worstVar.toExponential(2)}, outputs ${worstOut.toExponential(2)}`,
    );
    model.dispose();
    runtime.dispose();
  });

  it('prints stable text with no eval, naming every phase and loss, importing only TF.js', () => {
    const program = tinyProgram(t.json);
    const text = printProgram(program);
    expect(printProgram(program)).toBe(text);
    expect(text).not.toMatch(/\beval\s*\(|new\s+Function|\bFunction\s*\(/);
    const imports = text.split('\n').filter((l) => /^\s*import\b|\bimport\s*\(|\brequire\s*\(/.test(l));
    expect(imports).toEqual(["import * as tf from '@tensorflow/tfjs';"]);
    for (const ph of program.phases) {
      expect(text).toContain(`'${ph.id}'`);
      for (const l of ph.losses) expect(text).toContain(`n.${l.node}(`);
    }
    expect(text).toMatch(/export function build\(/);
    expect(text).toMatch(/export async function train\(/);
  });
});

describe('printProgram refusals', () => {
  it('names the node whose kind it cannot print', () => {
    const program = structuredClone(tinyProgram(TEMPLATES.find((t) => t.id === 'vae')!.json));
    program.nodes.kl!.kind = 'loss.mystery';
    expect(() => printProgram(program)).toThrow(/node 'kl' \(KL\(q\(z\|x\) ‖ p\(z\)\), loss\.mystery\)/);
  });
});

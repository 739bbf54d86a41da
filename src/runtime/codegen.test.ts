import { beforeAll, describe, expect, it } from 'vitest';
import { canPrint, printProgram } from '../core/codegen';
import { KINDS } from '../core/kinds/registry';
import { TEMPLATES } from '../core/templates';
import { ITERATIONS, compareWithRuntime, tinyProgram } from './codegen-harness';
import { initNodeBackend } from './node-backend';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('printed program: %s (tiny)', (id, t) => {
  it(`trains ${ITERATIONS} iterations to the runtime's losses, weights and outputs`, async () => {
    await compareWithRuntime(id, tinyProgram(t.json));
  }, 180_000);

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
    expect(text.split('\n').filter((l) => l.length > 110)).toEqual([]);
    expect(text).toMatch(/export function build\(/);
    expect(text).toMatch(/export async function train\(/);
  });
});

describe('printProgram coverage and refusals', () => {
  it('has a printer for every node kind', () => {
    expect(KINDS.map((k) => k.kind).filter((k) => !canPrint(k))).toEqual([]);
  });

  it('names the node whose kind it cannot print', () => {
    const program = structuredClone(tinyProgram(TEMPLATES.find((t) => t.id === 'vae')!.json));
    program.nodes.kl!.kind = 'loss.mystery';
    expect(() => printProgram(program)).toThrow(/node 'kl' \(KL\(q\(z\|x\) ‖ p\(z\)\), loss\.mystery\)/);
  });
});

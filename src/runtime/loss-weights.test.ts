import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { printProgram } from '../core/codegen';
import { compile } from '../core/compiler/compile';
import type { Program } from '../core/compiler/ir';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import type { DataProvider } from '../core/kinds/types';
import { TEMPLATES } from '../core/templates';
import { compareWithRuntime } from './codegen-harness';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';

const data: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };

/** The VAE's tiny preset with the KL term's weight set, or the KL term taken out of the phase. */
function vae(kl: number | 'removed'): Program {
  const json = structuredClone(TEMPLATES.find((t) => t.id === 'vae')!.json) as {
    nodes: Record<string, { params?: Record<string, unknown> }>;
    training: { phases: { losses: string[] }[] };
  };
  if (kl === 'removed') json.training.phases[0]!.losses = ['rec'];
  else json.nodes.kl!.params = { ...json.nodes.kl!.params, weight: kl };
  const r = compile(applyPreset(loadDocument(json).doc!, 'tiny'));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.program!;
}

function gradientsOf(program: Program): { losses: number[]; grads: Record<string, Float32Array> } {
  const p = new TrainingProgram(tf, program, data, 3);
  const { losses, grads } = p.gradients(program.phases[0]!, 0);
  const byEngineName = new Map(p.store.named().map(([name, v]) => [v.name, name]));
  const out = {
    losses: losses.map((l) => l.dataSync()[0]!),
    grads: Object.fromEntries(
      Object.entries(grads).map(([n, g]) => [byEngineName.get(n)!, g.dataSync() as Float32Array]),
    ),
  };
  tf.dispose([...losses, ...Object.values(grads)]);
  p.dispose();
  return out;
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('a loss weighted 0', () => {
  it('is still reported but trains nothing: the gradients equal those of the phase without it', () => {
    const off = gradientsOf(vae(0));
    const without = gradientsOf(vae('removed'));
    const on = gradientsOf(vae(1));
    expect(off.losses).toHaveLength(2);
    expect(off.losses[1]).toBeGreaterThan(0);
    expect(off.losses[1]).toBeCloseTo(on.losses[1]!, 5);
    expect(Object.keys(off.grads).sort()).toEqual(Object.keys(without.grads).sort());
    for (const [name, g] of Object.entries(off.grads)) {
      expect(Array.from(g), name).toEqual(Array.from(without.grads[name]!));
    }
    // The encoder's gradients do change when the KL term counts, so the comparison can fail.
    const enc = Object.keys(on.grads).find((n) => n.startsWith('enc/'))!;
    expect(Array.from(on.grads[enc]!)).not.toEqual(Array.from(off.grads[enc]!));
  });

  it('costs less than a counted loss: the backward pass skips the zero-weighted branch', async () => {
    const kernels = async (program: Program) => {
      const info = await tf.profile(() => gradientsOf(program));
      return info.kernels.length;
    };
    expect(await kernels(vae(0))).toBeLessThan(await kernels(vae(1)));
  });

  it('is left out of the printed sum too, and the printed program still trains like the runtime', async () => {
    const program = vae(0);
    const text = printProgram(program);
    expect(text).not.toMatch(/tf\.mul\([^)]*kl[^)]*, 0\)/);
    await compareWithRuntime('vae-kl-weight-0', program);
  });
});

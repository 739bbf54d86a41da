import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import type { GraphDocument } from '../core/document/schema';
import { TEMPLATES } from '../core/templates';
import type { DataProvider } from '../core/kinds/types';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';
import { registerWasmKernels } from './wasm-kernels';

const data: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };
const load = (json: unknown): GraphDocument => loadDocument(structuredClone(json)).doc!;

beforeAll(async () => {
  await initNodeBackend('wasm');
  registerWasmKernels();
});

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  it('compiles with no diagnostics, as does each of its presets', () => {
    const doc = load(t.json);
    expect(compile(doc).diagnostics).toEqual([]);
    for (const name of Object.keys(doc.presets ?? {}))
      expect(compile(applyPreset(doc, name)).diagnostics, name).toEqual([]);
  });

  it('tiny preset: finite losses, and the tensor count is the same after iteration 10 and 500', async () => {
    const doc = applyPreset(load(t.json), 'tiny');
    const p = new TrainingProgram(tf, compile(doc).program!, data);
    let at10 = -1;
    for (let i = 1; i <= 500; i++) {
      const read = i === 10 || i === 500;
      const results = await p.step(read);
      if (read)
        for (const r of results)
          for (const v of Object.values(r.losses!)) expect(Number.isFinite(v)).toBe(true);
      if (i === 10) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    p.dispose();
  }, 180_000);

  it('a broken copy (a wire removed, a wire of the wrong type) gets the diagnostic on the right node', () => {
    const doc = load(t.json);
    const a = compile(doc);
    const [eid, edge] = Object.entries(doc.edges).find(
      ([, e]) => !doc.nodes[e.target.node]!.kind.startsWith('loss.'),
    )!;
    const removed = structuredClone(doc);
    delete removed.edges[eid];
    expect(compile(removed).diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'missing-input', node: edge.target.node, port: edge.target.port }),
      ]),
    );
    // Wire a noise schedule (a new node, so no cycle) into that input: a type error on it.
    const wrong = structuredClone(doc);
    wrong.nodes.__schedule = { kind: 'diffusion.schedule', position: { x: 0, y: 0 }, params: {} };
    wrong.edges[eid] = { source: { node: '__schedule', port: 'schedule' }, target: edge.target };
    expect(compile(wrong).diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'type-mismatch', node: edge.target.node, port: edge.target.port }),
      ]),
    );
    expect(a.program).toBeDefined();
  });
});

describe('presets', () => {
  it('combine in order: thicken,tiny is the tiny CycleGAN on thickened digits', () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'cyclegan')!.json);
    const both = applyPreset(doc, 'thicken,tiny');
    expect(both.nodes.data!.params.transform).toBe('thicken');
    expect(both.nodes.G_AB!.params).toMatchObject({ base: 4, blocks: 1 });
    expect(both.training.batchSize).toBe(doc.presets.tiny!.training.batchSize);
    expect(doc.nodes.data!.params.transform).toBe('invert');
    expect(() => applyPreset(doc, 'thicken,huge')).toThrow(/no preset 'huge'/);
  });

  it('thicken turns the identity loss off (weight 0) but still reports it; the inverted pair keeps λ = 5', () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'cyclegan')!.json);
    const weights = (d: typeof doc) => {
      const r = compile(d);
      expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      const losses = r.program!.phases.flatMap((ph) => ph.losses);
      return Object.fromEntries(
        losses.filter((l) => l.node.startsWith('idt')).map((l) => [l.node, l.weight]),
      );
    };
    expect(weights(doc)).toEqual({ idtA: 5, idtB: 5 });
    expect(weights(applyPreset(doc, 'thicken'))).toEqual({ idtA: 0, idtB: 0 });
    expect(weights(applyPreset(doc, 'thicken,tiny'))).toEqual({ idtA: 0, idtB: 0 });
  });

  it('the inverted pair translates at full resolution for 8,000 iterations; thicken keeps the two downsamplings and 6,000 it was measured with', () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'cyclegan')!.json);
    const downs = (d: typeof doc) => [d.nodes.G_AB!.params.downsample, d.nodes.G_BA!.params.downsample];
    expect(downs(doc)).toEqual([0, 0]);
    expect(downs(applyPreset(doc, 'thicken'))).toEqual([2, 2]);
    expect(downs(applyPreset(doc, 'thicken,tiny'))).toEqual([2, 2]);
    expect(downs(applyPreset(doc, 'tiny'))).toEqual([0, 0]);
    // Each pair trains for the length its passing seeds were measured at (REPRODUCTION.md).
    const iterations = (d: typeof doc) => d.training.iterations;
    expect(iterations(doc)).toBe(8000);
    expect(iterations(applyPreset(doc, 'thicken'))).toBe(6000);
    expect(iterations(applyPreset(doc, 'thicken,tiny'))).toBe(20);
    // The translator's weights: a 3×3 convolution per stride-2 step down and up is most of them.
    const weightsOfG = (d: typeof doc) => {
      const p = new TrainingProgram(tf, compile(d).program!, data);
      const n = p.store
        .named()
        .filter(([name]) => name.startsWith('G_AB'))
        .reduce((sum, [, v]) => sum + v.size, 0);
      p.dispose();
      return n;
    };
    expect(weightsOfG(doc)).toBe(10945);
    expect(weightsOfG(applyPreset(doc, 'thicken'))).toBe(195937);
  });

  it("change a phase's optimizer settings by phase id and leave the rest of the phase alone", () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'ddpm')!.json);
    const scaled = applyPreset(doc, 'scaled');
    const [before] = doc.training.phases;
    const [after] = scaled.training.phases;
    expect(after!.optimizer).toEqual({ ...before!.optimizer, lr: 0.001 });
    expect({ ...after, optimizer: undefined }).toEqual({ ...before, optimizer: undefined });
    expect(before!.optimizer.lr).toBe(0.0002);
    // tiny after scaled keeps scaled's rate: tiny names no optimizer.
    expect(applyPreset(doc, 'scaled,tiny').training.phases[0]!.optimizer.lr).toBe(0.001);

    const wrong = structuredClone(doc);
    wrong.presets.scaled!.training.optimizers = { denoize: { lr: 0.001 } };
    expect(() => applyPreset(wrong, 'scaled')).toThrow(/phase 'denoize', which is not a phase/);
  });

  it("DDPM's scaled preset trains 16,000 iterations of 64, the length that met the confident-share bar", () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'ddpm')!.json);
    expect([doc.training.iterations, doc.training.batchSize]).toEqual([20000, 64]);
    const scaled = applyPreset(doc, 'scaled');
    // 12,000 fell short (0.730 of samples confident against 0.75); 16,000 reached 0.770 (REPRODUCTION.md).
    expect([scaled.training.iterations, scaled.training.batchSize]).toEqual([16000, 64]);
    expect(applyPreset(doc, 'scaled,tiny').training.iterations).toBe(20);
  });

  it("InfoGAN's scaled preset trains 10,000 updates of 64, as many digits as the paper's 5,000 of 128", () => {
    const doc = load(TEMPLATES.find((t) => t.id === 'infogan')!.json);
    const seen = (d: typeof doc) => d.training.iterations * d.training.batchSize;
    expect([doc.training.iterations, doc.training.batchSize]).toEqual([5000, 128]);
    const scaled = applyPreset(doc, 'scaled');
    expect([scaled.training.iterations, scaled.training.batchSize]).toEqual([10000, 64]);
    expect(seen(scaled)).toBe(seen(doc));
    // tiny after scaled is still a few steps.
    expect(applyPreset(doc, 'scaled,tiny').training.iterations).toBe(20);
  });
});

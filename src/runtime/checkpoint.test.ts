import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import { TEMPLATES } from '../core/templates';
import type { DataProvider } from '../core/kinds/types';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';
import { registerWasmKernels } from './wasm-kernels';

const data: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };
const doc = applyPreset(
  loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'cyclegan')!.json)).doc!,
  'tiny',
);
const fresh = () => new TrainingProgram(tf, compile(doc).program!, data);
const lossesAfter = async (p: TrainingProgram, n: number) => {
  const last: Record<string, number> = {};
  for (let i = 0; i < n; i++) for (const r of await p.step(i === n - 1)) Object.assign(last, r.losses);
  return last;
};

beforeAll(async () => {
  await initNodeBackend('wasm');
  registerWasmKernels();
});

describe('checkpoints', () => {
  it("keep CycleGAN's image pools, so a resumed run goes on exactly as an unstopped one", async () => {
    // The tiny preset's pools hold 4 images and batches are 4, so they are full after one iteration
    // and from then on swap in older fakes: a resumed run with empty pools would see other images.
    expect(doc.nodes.poolA!.params.size).toBe(4);
    const straight = fresh();
    const expected = await lossesAfter(straight, 6);

    const first = fresh();
    await lossesAfter(first, 3);
    const held = tf.memory().numTensors;
    const { manifest, data: bytes } = await captureCheckpoint(first, doc);
    expect(tf.memory().numTensors).toBe(held);
    expect(Object.keys(manifest.nodeState ?? {}).sort()).toEqual(['poolA', 'poolB']);
    expect(manifest.nodeState!.poolA!.map((e) => e.shape)).toEqual(Array(4).fill([28, 28, 1]));

    const resumed = fresh();
    await restoreCheckpoint(resumed, manifest, bytes);
    const got = await lossesAfter(resumed, 3);
    expect(Object.keys(got).length).toBeGreaterThan(4);
    for (const [name, v] of Object.entries(expected)) expect(got[name], name).toBeCloseTo(v, 5);

    // A checkpoint from before pools were saved still loads; the pools start empty.
    const old = { ...manifest, nodeState: undefined };
    const again = fresh();
    await restoreCheckpoint(again, old, bytes);
    const differs = await lossesAfter(again, 3);
    expect(differs.lossDA).not.toBeCloseTo(expected.lossDA!, 5);
    [straight, first, resumed, again].forEach((p) => p.dispose());
  });

  it('hold no more tensors after a resume than an unstopped run, however often a program is loaded', async () => {
    // DDPM keeps a moving average of its weights, so this covers weights, Adam's moments and the EMA.
    const d = applyPreset(
      loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'ddpm-2d')!.json)).doc!,
      'tiny',
    );
    const make = () => new TrainingProgram(tf, compile(d).program!, data);
    const source = make();
    await lossesAfter(source, 2);
    const { manifest, data: bytes } = await captureCheckpoint(source, d);
    expect(manifest.ema?.length).toBeGreaterThan(0);
    expect(Object.values(manifest.optimizers).flat().length).toBeGreaterThan(0);

    let before = tf.memory().numTensors;
    const straight = make();
    await lossesAfter(straight, 3);
    const unstopped = tf.memory().numTensors - before;

    before = tf.memory().numTensors;
    const resumed = make();
    await restoreCheckpoint(resumed, manifest, bytes);
    await lossesAfter(resumed, 3);
    expect(tf.memory().numTensors - before).toBe(unstopped);

    // Loading again into a program that has trained replaces its state rather than adding to it.
    const held = tf.memory().numTensors;
    await restoreCheckpoint(resumed, manifest, bytes);
    expect(tf.memory().numTensors).toBe(held);
    expect(resumed.iteration).toBe(2);
    await lossesAfter(resumed, 1);
    expect(tf.memory().numTensors).toBe(held);
    [source, straight, resumed].forEach((p) => p.dispose());
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../core/document/load';
import type { GraphDocument } from '../core/document/schema';
import type { FromWorker } from '../core/protocol';
import { TEMPLATES } from '../core/templates';
import { loadMnistNode } from './data/mnist-node';
import { initNodeBackend } from './node-backend';
import { TrainingSession } from './session';

const vae = (): GraphDocument =>
  loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'vae')!.json)).doc!;

function session() {
  const got: FromWorker[] = [];
  const s = new TrainingSession({
    tf,
    selectBackend: async () => ({
      backend: 'cpu',
      attempts: [
        { name: 'webgpu', ok: false, reason: 'none in Node' },
        { name: 'cpu', ok: true },
      ],
    }),
    loadData: async () => ({ get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') }),
    post: (m) => got.push(m),
    yieldToEvents: () => Promise.resolve(),
    now: () => performance.now(),
  });
  const last = <T extends FromWorker['type']>(type: T) =>
    got.filter((m) => m.type === type).at(-1) as Extract<FromWorker, { type: T }> | undefined;
  return { s, got, last };
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('a training session', () => {
  it('is reproducible on the cpu backend: same seed, same losses', async () => {
    const runs: number[][] = [];
    for (let r = 0; r < 2; r++) {
      const { s, last } = session();
      await s.handle({ type: 'init', doc: vae(), backend: 'cpu', preset: 'tiny' });
      for (let i = 0; i < 3; i++) await s.handle({ type: 'step', unit: 'iteration' });
      runs.push(Object.values(last('progress')!.losses));
      s.dispose();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.every(Number.isFinite)).toBe(true);
  });

  it('runs to the end, reporting progress, backend and phases', async () => {
    const { s, last } = session();
    await s.handle({ type: 'init', doc: vae(), backend: 'auto', preset: 'tiny' });
    expect(last('ready')).toMatchObject({
      backend: 'cpu',
      iterations: 20,
      phases: [{ id: 'elbo', trains: ['enc', 'dec'] }],
    });
    await s.handle({ type: 'start' });
    expect(last('progress')!.iteration).toBe(20);
    expect(last('state')).toMatchObject({ running: false, finished: true });
    s.dispose();
  });

  it('steps one phase at a time through a GAN iteration', async () => {
    const { s, last } = session();
    const gan = loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'gan-2d')!.json)).doc!;
    await s.handle({ type: 'init', doc: gan, backend: 'cpu', preset: 'tiny' });
    await s.handle({ type: 'step', unit: 'phase' });
    expect(last('progress')).toMatchObject({ iteration: 0, phaseCursor: 1 });
    expect(Object.keys(last('progress')!.losses)).toEqual(['lossD']);
    await s.handle({ type: 'step', unit: 'phase' });
    expect(last('progress')).toMatchObject({ iteration: 1, phaseCursor: 0 });
    s.dispose();
  });

  it('probes several ports in one pass, on test digits, with outputs pinned', async () => {
    const { s, last } = session();
    await s.handle({ type: 'init', doc: vae(), backend: 'cpu', preset: 'tiny' });
    const refs = [
      { node: 'data', port: 'x' },
      { node: 'data', port: 'label' },
      { node: 'enc', port: 'q' },
      { node: 'dec', port: 'x' },
    ];
    await s.handle({ type: 'probe', id: 7, refs, n: 6, split: 'test' });
    const p = last('probed')!;
    expect(p.id).toBe(7);
    expect(p.values.map((v) => v.shape)).toEqual([
      [6, 28, 28, 1],
      [6, 10],
      [6, 4], // the tiny preset's latent size
      [6, 28, 28, 1],
    ]);
    const labels = p.values[1]!.data;
    for (let i = 0; i < 6; i++) expect(labels.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b)).toBe(1);

    // Pin the prior's z: two identical codes give two identical samples.
    const z = new Float32Array(2 * 4).fill(0.5);
    await s.handle({
      type: 'probe',
      id: 8,
      refs: [{ node: 'gen', port: 'x' }],
      n: 2,
      overrides: [{ node: 'prior', port: 'z', shape: [2, 4], data: z }],
    });
    const g = last('probed')!.values[0]!;
    expect(Array.from(g.data.subarray(0, 784))).toEqual(Array.from(g.data.subarray(784)));

    // A port that does not exist is that probe's error, and the session carries on.
    await s.handle({ type: 'probe', id: 9, refs: [{ node: 'nope', port: 'x' }], n: 1 });
    expect(last('error')!.message).toMatch(/^probe 9: /);
    await s.handle({ type: 'step', unit: 'iteration' });
    expect(last('progress')!.iteration).toBe(1);
    s.dispose();
  });

  it('auto measures the graph on each usable backend and keeps the fastest, reporting every rate', async () => {
    const got: FromWorker[] = [];
    const used: string[] = [];
    const s = new TrainingSession({
      tf,
      selectBackend: async () => {
        throw new Error('auto must measure, not take the first backend');
      },
      usableBackends: async () => ({
        names: ['wasm', 'cpu'],
        attempts: [
          { name: 'webgpu', ok: false, reason: 'none in Node' },
          { name: 'wasm', ok: true },
          { name: 'cpu', ok: true },
        ],
      }),
      useBackend: async (name) => {
        used.push(name);
        await initNodeBackend(name as 'wasm' | 'cpu');
      },
      loadData: async () => ({ get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') }),
      post: (m) => got.push(m),
      yieldToEvents: () => Promise.resolve(),
      now: () => performance.now(),
    });
    await s.handle({ type: 'init', doc: vae(), backend: 'auto', preset: 'tiny' });
    const ready = got.find((m) => m.type === 'ready') as Extract<FromWorker, { type: 'ready' }>;
    expect(ready).toBeDefined();
    const wasm = ready.attempts.find((a) => a.name === 'wasm')!;
    const cpu = ready.attempts.find((a) => a.name === 'cpu')!;
    expect(wasm.itPerSec).toBeGreaterThan(0);
    expect(cpu.itPerSec).toBeGreaterThan(0);
    const [fast, slow] = wasm.itPerSec! >= cpu.itPerSec! ? [wasm, cpu] : [cpu, wasm];
    expect(ready.backend).toBe(fast.name);
    expect(slow.ok).toBe(false);
    expect(slow.reason).toMatch(new RegExp(`slower than ${fast.name}`));
    // Both were tried, and the run trains on the winner.
    expect(used.slice(0, 2)).toEqual(['wasm', 'cpu']);
    expect(used.at(-1)).toBe(fast.name);
    expect(tf.getBackend()).toBe(fast.name);
    s.dispose();
    await initNodeBackend('cpu');
  });

  it('pauses itself when a loss diverges and names the loss node and step', async () => {
    const { s, last } = session();
    const doc = vae();
    doc.training.phases[0]!.optimizer = {
      ...doc.training.phases[0]!.optimizer,
      type: 'sgd',
      lr: 10,
      beta1: 0,
    };
    doc.training.logEvery = 1;
    await s.handle({ type: 'init', doc, backend: 'cpu', preset: 'tiny' });
    await s.handle({ type: 'start' });
    const d = last('diverged')!;
    expect(d.node).toMatch(/^(kl|rec)$/);
    expect(d.message).toMatch(/became (NaN|-?Infinity) at step \d+: training paused/);
    expect(last('state')!.running).toBe(false);
    s.dispose();
  });

  it('saves weights and optimizer state and resumes from them; refuses weights that do not fit', async () => {
    const a = session();
    await a.s.handle({ type: 'init', doc: vae(), backend: 'cpu', preset: 'tiny' });
    for (let i = 0; i < 4; i++) await a.s.handle({ type: 'step', unit: 'iteration' });
    await a.s.handle({ type: 'save' });
    const ckpt = a.last('saved')!.checkpoint;
    await a.s.handle({ type: 'step', unit: 'iteration' });
    const continued = a.last('progress')!.losses;

    const b = session();
    await b.s.handle({ type: 'init', doc: vae(), backend: 'cpu', preset: 'tiny' });
    await b.s.handle({ type: 'load', checkpoint: ckpt });
    expect(b.last('loaded')!.iteration).toBe(4);
    await b.s.handle({ type: 'step', unit: 'iteration' });
    // Same weights, same Adam moments, same iteration number: the fifth step is the same step.
    expect(b.last('progress')!.losses).toEqual(continued);

    const c = session();
    await c.s.handle({ type: 'init', doc: vae(), backend: 'cpu' });
    await c.s.handle({ type: 'load', checkpoint: ckpt });
    expect(c.last('error')!.message).toMatch(
      /^load: these weights do not fit this graph[\s\S]*'enc\/trunk\/1\/kernel' is \[784,400\] here but \[784,32\]/,
    );
    // Only the load failed: the run is as it was and goes on training.
    await c.s.handle({ type: 'step', unit: 'iteration' });
    expect(c.last('progress')!.iteration).toBe(1);
    [a, b, c].forEach((x) => x.s.dispose());
  });

  it('answers a graph that does not compile with the diagnostics', async () => {
    const { s, last } = session();
    const doc = vae();
    delete doc.edges.e3;
    await s.handle({ type: 'init', doc, backend: 'cpu' });
    expect(last('error')!.message).toMatch(/input 'z' is not connected/);
    s.dispose();
  });
});

describe('changing a learning rate while training', () => {
  it('takes effect on the next step', async () => {
    const { s } = session();
    await s.handle({ type: 'init', doc: vae(), backend: 'cpu', preset: 'tiny' });
    await s.handle({ type: 'step', unit: 'iteration' });
    const program = (s as unknown as { program: { store: { named(): Array<[string, tf.Variable]> } } })
      .program;
    const snapshot = () => program.store.named().map(([, v]) => Array.from(v.dataSync()));
    const change = (a: number[][], b: number[][]) =>
      Math.max(...a.flatMap((xs, i) => xs.map((x, j) => Math.abs(x - b[i]![j]!))));
    let before = snapshot();
    await s.handle({ type: 'step', unit: 'iteration' });
    const normal = change(before, snapshot());
    await s.handle({ type: 'setLearningRate', phase: 'elbo', lr: 1e-9 });
    before = snapshot();
    await s.handle({ type: 'step', unit: 'iteration' });
    expect(normal).toBeGreaterThan(1e-5);
    expect(change(before, snapshot())).toBeLessThan(normal * 1e-4);
    s.dispose();
  });
});

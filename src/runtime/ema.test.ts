import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import { TEMPLATES } from '../core/templates';
import type { Tensor } from '../core/kinds/types';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';

const data = { get: () => ({ images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 }) };

function ddpm2d(ema?: number) {
  const doc = applyPreset(
    loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'ddpm-2d')!.json)).doc!,
    'tiny',
  );
  if (ema !== undefined) doc.training.phases[0]!.ema = ema;
  return { doc, program: new TrainingProgram(tf, compile(doc).program!, data) };
}

const values = (p: TrainingProgram) => p.store.named().map(([, v]) => Array.from(v.dataSync()));

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('moving averages of weights (ema)', () => {
  it('track the weights, are used when sampling, and leave the weights as they were', async () => {
    const { program: p } = ddpm2d(0.99);
    for (let i = 0; i < 30; i++) await p.step(false);
    expect(p.ema.size).toBe(p.store.trainable('eps').length);
    const [v, s] = [...p.ema.entries()][0]!;
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(v, s))).dataSync()[0]!);
    expect(gap).toBeGreaterThan(0);
    const before = values(p);
    const ref = [p.program.outputs.samples!];
    const withEma = p.evaluate(ref, 5, 'x')[0] as Tensor;
    expect(values(p)).toEqual(before);
    // Without averages the same draw gives other samples.
    const saved = new Map(p.ema);
    p.ema.clear();
    const plain = p.evaluate(ref, 5, 'x')[0] as Tensor;
    saved.forEach((s2, v2) => p.ema.set(v2, s2));
    expect(Array.from(withEma.dataSync())).not.toEqual(Array.from(plain.dataSync()));
    tf.dispose([withEma, plain]);
    p.dispose();
  });

  it('are saved in checkpoints and restored with their update count', async () => {
    const a = ddpm2d(0.99);
    for (let i = 0; i < 12; i++) await a.program.step(false);
    const held = tf.memory().numTensors;
    const { manifest, data: bytes } = await captureCheckpoint(a.program, a.doc);
    // Saving leaves nothing behind (runs that save every N iterations would otherwise grow).
    expect(tf.memory().numTensors).toBe(held);
    expect(manifest.ema?.length).toBe(a.program.ema.size);
    const b = ddpm2d(0.99);
    await restoreCheckpoint(b.program, manifest, bytes);
    expect(b.program.emaCount).toBe(12);
    const first = (p: TrainingProgram) => [...p.ema.values()][0]!.dataSync();
    expect(Array.from(first(b.program))).toEqual(Array.from(first(a.program)));
    a.program.dispose();
    b.program.dispose();
  });
});

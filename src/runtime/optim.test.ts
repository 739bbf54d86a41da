import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import { TEMPLATES } from '../core/templates';
import { initNodeBackend } from './node-backend';
import { lrFactor } from './optim';
import { TrainingProgram } from './program';

const data = { get: () => ({ images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 }) };

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('a learning rate that decays linearly (linearDecayFrom)', () => {
  it('holds, then falls in equal steps to near zero at the last iteration, and to zero past it', () => {
    // 10 iterations, decaying from the 5th (index 5): 1 × 5, then 5/6, 4/6, … 1/6.
    const f = Array.from({ length: 11 }, (_, i) => lrFactor(i, 10, 0.5));
    expect(f.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(f.slice(5).map((x) => Math.round(x * 6))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(lrFactor(7, 10, undefined)).toBe(1);
    // From 0: the first update already decays; from 1: never within the run.
    expect(lrFactor(0, 4, 0)).toBe(0.8);
    expect(lrFactor(3, 4, 1)).toBe(1);
  });

  it("sets each scheduled phase's rate before its update, scaling a rate changed while training", async () => {
    const doc = applyPreset(
      loadDocument(structuredClone(TEMPLATES.find((t) => t.id === 'gan-2d')!.json)).doc!,
      'tiny',
    );
    doc.training.iterations = 8;
    const [g, d] = doc.training.phases;
    g!.optimizer = { ...g!.optimizer, lr: 0.01, linearDecayFrom: 0.5 };
    const p = new TrainingProgram(tf, compile(doc).program!, data);
    const lr = (id: string) => (p.optimizers.get(id) as unknown as { learningRate: number }).learningRate;
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      await p.step(false);
      seen.push(lr(g!.id));
    }
    // Iterations 0–3 at the full rate, then 4/5 and 3/5 of it; the other phase keeps its own.
    expect(seen.map((x) => Math.round(x * 1e5) / 1e5)).toEqual([0.01, 0.01, 0.01, 0.01, 0.008, 0.006]);
    expect(lr(d!.id)).toBe(d!.optimizer.lr);
    // A rate set by hand (the training panel's lr field) becomes the base the schedule scales.
    p.setLearningRate(g!.id, 0.1);
    await p.step(false);
    expect(lr(g!.id)).toBeCloseTo(0.1 * (2 / 5), 10);
    p.dispose();
  });
});

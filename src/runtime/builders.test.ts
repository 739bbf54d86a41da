import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../core/compiler/compile';
import { loadDocument } from '../core/document/load';
import { getKind } from '../core/kinds/registry';
import { templateById } from '../core/templates';
import { SHAPE_CASES } from '../core/kinds/shape-cases';
import type { DataProvider, ForwardCtx, Value } from '../core/kinds/types';
import { isTensorValue } from '../core/kinds/types';
import type { TensorInfo } from '../core/shape';
import { loadMnistNode } from './data/mnist-node';
import { VarStore } from './vars';
import { initNodeBackend } from './node-backend';
import { TrainingProgram } from './program';

const B = 3;
const data: DataProvider = {
  get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test'),
};

function concrete(shape: readonly (number | string)[]): number[] {
  return shape.map((d) => (d === 'B' ? B : (d as number)));
}

function ctx(training: boolean): ForwardCtx {
  let s = 1;
  return { tf, training, batchSize: B, nextSeed: () => s++, step: 0 };
}

/** A concrete value for an input port, built from its TensorInfo. */
function valueFor(info: TensorInfo): Value {
  const shape = concrete(info.shape);
  switch (info.type) {
    case 'gaussian':
      return {
        kind: 'gaussian',
        mean: tf.randomNormal(shape, 0, 1, 'float32', 1),
        logvar: tf.randomNormal(shape, 0, 0.1, 'float32', 2),
      };
    case 'timestep':
      return tf.tensor1d([0, 500, 999], 'int32');
    case 'schedule':
      return schedules[shape[0]!]!;
    case 'network':
      return { kind: 'network', call: (i) => ({ eps: tf.mul(i.x as tf.Tensor, 0.1) }) };
    default:
      return tf.randomUniform(shape, 0, 1, 'float32', 3);
  }
}

/** Schedules are built once (they keep their tables), so they do not count as leaks of a forward. */
const schedules: Record<number, Value> = {};

beforeAll(async () => {
  // The reference backend: wasm has no Conv2DBackpropFilter kernel, so conv gradients need cpu here.
  await initNodeBackend('cpu');
  const k = getKind('diffusion.schedule')!;
  for (const T of [1000]) {
    const impl = k.build({
      tf,
      data,
      nodeId: 's',
      params: k.params.parse({ T }),
      inputs: {},
      outputs: {},
      vars: new VarStore(tf, 0).factory('s'),
    });
    schedules[T] = impl.forward({}, ctx(false)).schedule!;
  }
});

/** Variables are released even when a case fails, so one failure does not cascade into the next. */
const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

const cases = SHAPE_CASES.filter((c) => !c.error);

describe('every builder agrees with its shape rule on real tensors (cpu backend)', () => {
  it.each(cases.map((c, i) => [`${c.kind} #${i}`, c] as const))('%s', (_name, c) => {
    const kind = getKind(c.kind)!;
    const params = kind.params.parse(c.params ?? {});
    const inputs = c.inputs ?? {};
    const infos = kind.infer(params, inputs);
    const baseline = tf.memory().numTensors;
    const store = new VarStore(tf, 7);
    cleanup.push(() => store.dispose());
    const impl = kind.build({
      tf,
      data,
      nodeId: 'n',
      params,
      inputs,
      outputs: infos as Record<string, TensorInfo>,
      vars: store.factory('n'),
    });
    for (const training of [true, false]) {
      tf.tidy(() => {
        const vals = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, valueFor(v!)]));
        const out = impl.forward(vals, ctx(training));
        for (const [port, info] of Object.entries(infos)) {
          const v = out[port];
          expect(v, `${port} produced`).toBeDefined();
          if (info!.type === 'gaussian') {
            const g = v as Extract<Value, { kind: 'gaussian' }>;
            expect(g.mean.shape).toEqual(concrete(info!.shape));
            expect(g.logvar.shape).toEqual(concrete(info!.shape));
          } else if (isTensorValue(v)) {
            expect(v.shape, port).toEqual(concrete(info!.shape));
            expect(tf.all(tf.isFinite(v.toFloat())).dataSync()[0], `${port} is finite`).toBe(1);
          }
        }
      });
    }
    // Trainable kinds: every trainable variable gets a finite, non-zero gradient from its outputs.
    if (kind.trainable) {
      const vars = store.trainable('n');
      expect(vars.length).toBeGreaterThan(0);
      const { value, grads } = tf.variableGrads(() => {
        const vals = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, valueFor(v!)]));
        const out = impl.forward(vals, ctx(true));
        const parts = Object.values(out).flatMap((v) =>
          isTensorValue(v)
            ? [tf.sum(tf.square(v))]
            : v && v.kind === 'gaussian'
              ? [tf.sum(tf.square(v.mean)), tf.sum(v.logvar)]
              : [],
        );
        return tf.addN(parts) as tf.Scalar;
      }, vars);
      for (const v of vars) {
        const g = grads[v.name]!;
        expect(g, v.name).toBeDefined();
        const size = tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]!);
        expect(Number.isFinite(size) && size > 0, `${v.name} gets a finite, non-zero gradient`).toBe(true);
      }
      tf.dispose([value, ...Object.values(grads)]);
    }
    // State a node keeps on purpose (an image pool's history) is released by dispose().
    impl.dispose?.();
    expect(tf.memory().numTensors, 'nothing but variables outlives a forward pass').toBe(
      baseline + store.vars.size,
    );
  });
});

describe("InfoGAN's code", () => {
  it('draws its noise from the chosen distribution: U(−1, 1) as in the reference code, or N(0, 1)', () => {
    const k = getKind('sample.infogan_code')!;
    const moments = (noiseDist?: string) => {
      const params = k.params.parse(noiseDist ? { noiseDist } : {});
      const impl = k.build({
        tf,
        data,
        nodeId: 'c',
        params,
        inputs: {},
        outputs: {},
        vars: new VarStore(tf, 0).factory('c'),
      });
      let s = 7;
      const out = impl.forward({}, { tf, training: true, batchSize: 500, nextSeed: () => s++, step: 0 });
      const z = out.z as tf.Tensor2D;
      const noise = Array.from(z.slice([0, 0], [500, 62]).dataSync());
      const codes = Array.from(z.slice([0, 62], [500, 10]).dataSync());
      tf.dispose(Object.values(out).filter(isTensorValue));
      const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
      const variance = noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length;
      const maxAbs = noise.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
      return { mean, variance, maxAbs, ones: codes.filter((c) => c === 1).length };
    };
    const uniform = moments();
    expect(uniform.maxAbs).toBeLessThanOrEqual(1);
    expect(uniform.variance).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(uniform.mean)).toBeLessThan(0.02);
    expect(uniform.ones).toBe(500);
    const gaussian = moments('gaussian');
    expect(gaussian.maxAbs).toBeGreaterThan(3);
    expect(gaussian.variance).toBeCloseTo(1, 1);
  });
});

describe('network initialisation', () => {
  it("normal-0.02 starts a network's weights as N(0, 0.02); biases and other networks are unchanged", () => {
    const doc = loadDocument(structuredClone(templateById('gan-2d')!.json)).doc!;
    doc.nodes.D!.params.init = 'normal-0.02';
    const p = new TrainingProgram(tf, compile(doc).program!, data);
    const stats = (name: string) => {
      const v = Array.from(
        p.store
          .named()
          .find(([n]) => n === name)![1]
          .dataSync(),
      );
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
    };
    const names = p.store.named().map(([n]) => n);
    // D's 128×128 hidden kernel: 16,384 draws of N(0, 0.02).
    const dKernel = stats('D/trunk/2/kernel');
    expect(dKernel.std).toBeCloseTo(0.02, 3);
    expect(Math.abs(dKernel.mean)).toBeLessThan(0.001);
    for (const n of names.filter((m) => m.startsWith('D/') && m.endsWith('bias')))
      expect(stats(n).std).toBe(0);
    // G keeps He initialisation before its ReLUs: std about √(2/128) × 0.88 (truncated at 2σ) ≈ 0.11.
    const gKernel = stats(names.find((n) => n.startsWith('G/') && n.endsWith('1/kernel'))!);
    expect(gKernel.std).toBeGreaterThan(0.08);
    p.dispose();
  });

  it('pytorch draws weights and biases from U(±1/√fan_in), as PyTorch initialises Linear layers', () => {
    const doc = loadDocument(structuredClone(templateById('gan-2d')!.json)).doc!;
    doc.nodes.D!.params.init = 'pytorch';
    const p = new TrainingProgram(tf, compile(doc).program!, data);
    const values = (suffix: string) =>
      Array.from(
        p.store
          .named()
          .find(([n]) => n.startsWith('D/') && n.endsWith(suffix))![1]
          .dataSync(),
      );
    // The second hidden layer reads 128 features: bound 1/√128 ≈ 0.088, so std = bound/√3 ≈ 0.051.
    for (const v of [values('D/trunk/2/kernel'), values('D/trunk/2/bias')]) {
      const bound = 1 / Math.sqrt(128);
      expect(v.every((x) => Math.abs(x) <= bound)).toBe(true);
      expect(v.some((x) => Math.abs(x) > 0.9 * bound)).toBe(true);
    }
    const k = values('D/trunk/2/kernel');
    const std = Math.sqrt(k.reduce((a, b) => a + b * b, 0) / k.length);
    expect(std).toBeCloseTo(1 / Math.sqrt(3 * 128), 2);
    // The first layer reads 2 coordinates: its weights may reach 1/√2.
    expect(values('D/trunk/1/kernel').some((x) => Math.abs(x) > 0.5)).toBe(true);
    p.dispose();
  });
});

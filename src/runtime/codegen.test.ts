import * as tf from '@tensorflow/tfjs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { canPrint, printProgram } from '../core/codegen';
import { compile } from '../core/compiler/compile';
import type { Program } from '../core/compiler/ir';
import { applyPreset } from '../core/document/presets';
import { loadDocument } from '../core/document/load';
import type { DataProvider } from '../core/kinds/types';
import { KINDS } from '../core/kinds/registry';
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

beforeAll(async () => {
  await initNodeBackend('cpu');
});

/** Trains the printed program and the runtime side by side; returns the largest differences. */
async function compareWithRuntime(name: string, program: Program, iterations = ITERATIONS) {
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

/** A graph document from a compact description: `wires` as 'node.port -> node.port'. */
function graph(
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

/**
 * Kinds, params and optimizer settings that no template uses: every op, the other samplers, layer and
 * batch norm in MLPs, other activations, SGD with momentum, weight decay and clipping, RMSprop, plain
 * SGD, learning rates that decay, several steps per phase, a moving average, the cosine schedule and
 * the posterior sampler.
 */
describe('printed program: kinds and settings beyond the templates', () => {
  it('2D toy graph with every op and sampler', async () => {
    const program = graph(
      'Every op & sampler (toy)',
      {
        toy: ['data.toy2d', { dataset: 'moons' }],
        mix: ['sample.mixture', { dim: 3, components: 4 }],
        uni: ['sample.uniform', { dim: 2, low: -0.5, high: 2 }],
        cat: ['sample.categorical', { classes: 3, fixed: 1 }],
        info: ['sample.infogan_code', { noise: 2, noiseDist: 'gaussian', categories: 3, continuous: 2 }],
        cc: ['op.concat'],
        G: [
          'net.generator',
          { arch: 'mlp', hidden: [8], activation: 'elu', norm: 'layer', outShape: [2], output: 'linear' },
        ],
        sp: ['op.split', { sizes: [1, 1] }],
        swap: ['op.concat'],
        diff: ['op.add', { scale: -1 }],
        rs: ['op.reshape', { shape: [2, 1] }],
        fl: ['op.flatten'],
        enc: [
          'net.encoder',
          { hidden: [8], latent: 2, activation: 'tanh', norm: 'batch', init: 'normal-0.02' },
        ],
        z: ['latent.reparameterize', { sampleWhenEvaluating: true }],
        dec: [
          'net.decoder',
          { hidden: [8], activation: 'swish', outShape: [2], output: 'tanh', init: 'pytorch' },
        ],
        rec: ['loss.reconstruction', { metric: 'mse', reduction: 'mean' }],
        rec2: ['loss.reconstruction', { metric: 'l1', reduction: 'sum', weight: 0.5 }],
        kl: ['loss.kl_normal', { weight: 0.1 }],
        D: [
          'net.discriminator',
          { hidden: [8], norm: 'layer', qHead: true, qCategories: 3, qContinuous: 2, qHidden: 4 },
        ],
        Dfake: ['net.discriminator', {}, 'D'],
        lossD: ['loss.adversarial', { role: 'discriminator', form: 'lsgan' }],
        lossG: ['loss.adversarial', { role: 'generator', form: 'minimax' }],
        miCat: ['loss.mi_categorical'],
        miCont: ['loss.mi_gaussian', { std: 0.5 }],
        sched: ['diffusion.schedule', { type: 'cosine', T: 10 }],
        tt: ['sample.timestep'],
        fwd: ['diffusion.forward'],
        eps: ['net.denoiser', { arch: 'mlp', hidden: [8], timeDim: 6, activation: 'relu' }],
        dm: ['loss.diffusion_mse'],
        sampler: ['diffusion.sampler', { variance: 'posterior', clip: 0.5 }],
      },
      [
        'mix.z -> cc.a',
        'uni.z -> cc.b',
        'cat.c -> cc.c',
        'info.z -> cc.d',
        'cc.y -> G.z',
        'G.x -> sp.x',
        'sp.part1 -> swap.a',
        'sp.part0 -> swap.b',
        'swap.y -> diff.a',
        'toy.x -> diff.b',
        'diff.y -> rs.x',
        'rs.y -> fl.x',
        'fl.y -> enc.x',
        'enc.q -> z.q',
        'z.z -> dec.z',
        'dec.x -> rec.pred',
        'toy.x -> rec.target',
        'G.x -> rec2.pred',
        'toy.x -> rec2.target',
        'enc.q -> kl.q',
        'toy.x -> D.x',
        'G.x -> Dfake.x',
        'D.logit -> lossD.real',
        'Dfake.logit -> lossD.fake',
        'Dfake.logit -> lossG.fake',
        'Dfake.q_cat -> miCat.logits',
        'info.cat -> miCat.code',
        'Dfake.q_cont -> miCont.mean',
        'info.cont -> miCont.code',
        'sched.schedule -> tt.schedule',
        'toy.x -> fwd.x0',
        'tt.t -> fwd.t',
        'sched.schedule -> fwd.schedule',
        'fwd.xt -> eps.x',
        'tt.t -> eps.t',
        'eps.eps -> dm.pred',
        'fwd.noise -> dm.noise',
        'sched.schedule -> sampler.schedule',
        'eps.model -> sampler.model',
      ],
      {
        batchSize: 8,
        seed: 7,
        // Learning rates that decay from iteration 1 of 4, so the 3 compared iterations see two factors.
        iterations: 4,
        phases: [
          {
            id: 'ae',
            losses: ['rec', 'kl', 'rec2'],
            trains: ['enc', 'dec', 'G'],
            optimizer: {
              type: 'sgd',
              lr: 0.01,
              beta1: 0.9,
              weightDecay: 0.01,
              clipNorm: 0.5,
              linearDecayFrom: 0.25,
            },
            steps: 2,
          },
          {
            id: 'd',
            losses: ['lossD', 'miCat', 'miCont'],
            trains: ['D'],
            optimizer: { type: 'rmsprop', lr: 0.001, linearDecayFrom: 0.25 },
          },
          {
            id: 'g',
            losses: ['lossG'],
            trains: ['G'],
            optimizer: { type: 'sgd', lr: 0.01, beta1: 0 },
            ema: 0.9,
          },
          {
            id: 'den',
            losses: ['dm'],
            trains: ['eps'],
            optimizer: { clipNorm: 1, linearDecayFrom: 0.5 },
            ema: 0.95,
          },
        ],
      },
      { samples: 'sampler.x', codes: 'z.z', fakes: 'G.x', logits: 'Dfake.logit', q: 'enc.q' },
    );
    await compareWithRuntime('every-op', program);
  }, 120_000);

  it('MNIST graph with conv encoder and decoder, paired test domains and an image pool', async () => {
    const program = graph(
      'Conv nets on MNIST',
      {
        dom: ['data.mnist_domains', { split: 'test', transform: 'thicken', range: '0..1' }],
        digits: ['data.mnist', { split: 'test', range: '-1..1' }],
        enc: [
          'net.encoder',
          { arch: 'conv', channels: [4], hidden: [8], latent: 3, head: 'deterministic', norm: 'instance' },
        ],
        dec: [
          'net.decoder',
          { arch: 'conv', channels: [4], hidden: [8], norm: 'batch', outShape: [28, 28, 1] },
        ],
        rec: ['loss.reconstruction', { metric: 'bce' }],
        pool: ['op.image_pool', { size: 3 }],
        D: [
          'net.discriminator',
          { arch: 'conv', channels: [4], hidden: [8], norm: 'batch', activation: 'elu' },
        ],
        Dfake: ['net.discriminator', {}, 'D'],
        lossD: ['loss.adversarial', { role: 'discriminator', form: 'minimax' }],
        lossG: ['loss.adversarial', { role: 'generator', form: 'lsgan', weight: 0.3 }],
        Dgen: ['net.discriminator', {}, 'D'],
      },
      [
        'dom.a -> enc.x',
        'enc.z -> dec.z',
        'dec.x -> rec.pred',
        'dom.b -> rec.target',
        'dec.x -> pool.x',
        'digits.x -> D.x',
        'pool.y -> Dfake.x',
        'D.logit -> lossD.real',
        'Dfake.logit -> lossD.fake',
        'dec.x -> Dgen.x',
        'Dgen.logit -> lossG.fake',
      ],
      {
        batchSize: 2,
        seed: 3,
        phases: [
          {
            id: 'ae',
            losses: ['rec', 'lossG'],
            trains: ['enc', 'dec'],
            optimizer: { lr: 0.01, weightDecay: 0.001 },
          },
          { id: 'd', losses: ['lossD'], trains: ['D'], steps: 2 },
        ],
      },
      { translated: 'dec.x', pooled: 'pool.y', label: 'digits.label' },
    );
    await compareWithRuntime('conv-mnist', program);
  }, 120_000);
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

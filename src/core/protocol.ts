import { z } from 'zod';
import { GraphDocument } from './document/schema';

/** Messages between the page and the training worker; both sides validate what they receive. */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const BackendChoice = z.enum(BACKEND_CHOICES);
export type BackendChoice = z.infer<typeof BackendChoice>;

const Tensor = z.object({ shape: z.array(z.number().int().min(0)), data: z.instanceof(Float32Array) });
export type TensorData = z.infer<typeof Tensor>;

const Checkpoint = z.object({ manifest: z.record(z.string(), z.unknown()), data: z.instanceof(Uint8Array) });

export const ToWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    doc: GraphDocument,
    backend: BackendChoice,
    preset: z.string().optional(),
    /** wasm threads; left out, the worker picks (see defaultWasmThreads). */
    threads: z.number().int().min(1).max(8).optional(),
  }),
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('step'), unit: z.enum(['iteration', 'phase']) }),
  z.object({ type: z.literal('setLearningRate'), phase: z.string(), lr: z.number().positive() }),
  z.object({ type: z.literal('save') }),
  z.object({ type: z.literal('load'), checkpoint: Checkpoint }),
  z.object({ type: z.literal('sample'), output: z.string(), n: z.number().int().min(1).max(4096) }),
  /** Evaluates several ports in one pass (one batch), for the views: inputs beside reconstructions. */
  z.object({
    type: z.literal('probe'),
    id: z.number(),
    refs: z.array(z.object({ node: z.string(), port: z.string() })).min(1),
    n: z.number().int().min(1).max(4096),
    split: z.literal('test').optional(),
    overrides: z.array(Tensor.extend({ node: z.string(), port: z.string() })).optional(),
    record: z.boolean().optional(),
  }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const BackendAttempt = z.object({
  name: z.string(),
  ok: z.boolean(),
  reason: z.string().optional(),
  /** Auto measured this graph on this backend: iterations per second (undefined: not measured). */
  itPerSec: z.number().optional(),
});
export type BackendAttempt = z.infer<typeof BackendAttempt>;

export const PhaseInfo = z.object({
  id: z.string(),
  label: z.string(),
  steps: z.number(),
  trains: z.array(z.string()),
  losses: z.array(z.string()),
  lr: z.number(),
  /** The share of the run after which lr falls linearly to zero (the optimizer's linearDecayFrom). */
  lrDecayFrom: z.number().optional(),
});

export const FromWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    backend: z.string(),
    /** How the backend runs, e.g. "2 threads, SIMD" for wasm. */
    backendDetail: z.string().optional(),
    attempts: z.array(BackendAttempt),
    phases: z.array(PhaseInfo),
    iterations: z.number(),
  }),
  z.object({
    type: z.literal('progress'),
    iteration: z.number(),
    /** Phase id → step within the iteration that last finished (for "step one phase"). */
    phaseCursor: z.number(),
    losses: z.record(z.string(), z.number()),
    stepsPerSec: z.number(),
    memory: z.object({ tensors: z.number(), bytes: z.number() }),
  }),
  z.object({ type: z.literal('state'), running: z.boolean(), finished: z.boolean() }),
  z.object({
    type: z.literal('diverged'),
    node: z.string(),
    value: z.number(),
    iteration: z.number(),
    message: z.string(),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('saved'), checkpoint: Checkpoint }),
  z.object({ type: z.literal('loaded'), iteration: z.number() }),
  z.object({
    type: z.literal('probed'),
    id: z.number(),
    /** One per ref, in order; a gaussian gives its mean. */
    values: z.array(Tensor),
    /** Intermediate states recorded on the way (the reverse process, x_T … x_0). */
    records: z.array(Tensor.extend({ name: z.string() })),
  }),
  z.object({
    type: z.literal('samples'),
    output: z.string(),
    shape: z.array(z.number()),
    data: z.instanceof(Float32Array),
  }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

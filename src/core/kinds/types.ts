import type * as tfjs from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { PortType, Shape, TensorInfo } from '../shape';

/** TF.js as the runtime hands it to a builder; core never imports TF.js values itself. */
export type TF = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type Variable = tfjs.Variable;

export type Category = 'data' | 'sampler' | 'network' | 'diffusion' | 'op' | 'loss';

export const CATEGORY_TITLES: Record<Category, string> = {
  data: 'Data',
  sampler: 'Noise & codes',
  network: 'Networks',
  diffusion: 'Diffusion',
  op: 'Tensor ops',
  loss: 'Losses',
};

export interface PortSpec {
  name: string;
  type: PortType;
  /** Input ports only: the wire types this port takes (defaults to [type]). */
  accepts?: readonly PortType[];
  optional?: boolean;
  /** Output ports only: the value does not depend on the inputs (a network handle), so the runtime
   *  may produce it without evaluating anything upstream. */
  independent?: boolean;
  doc?: string;
}

export type Inputs = Record<string, TensorInfo | undefined>;

/** Values that flow between nodes at run time. */
export interface GaussianValue {
  kind: 'gaussian';
  mean: Tensor;
  logvar: Tensor;
}
export interface ScheduleValue {
  kind: 'schedule';
  T: number;
  /** ᾱ_t, [T] float32, computed once on the device and kept for the whole run (forward noising). */
  alphaBars: Tensor;
  /** ᾱ_t again, in float64 on the host: the sampler's per-step coefficients come from it. */
  alphaBarsHost: Float64Array;
}
export interface NetworkValue {
  kind: 'network';
  call(inputs: Record<string, Value>, ctx: ForwardCtx): Record<string, Value>;
}
export type Value = Tensor | GaussianValue | ScheduleValue | NetworkValue;

export interface ForwardCtx {
  tf: TF;
  /** True inside a training step (batch norm uses batch statistics and updates its running ones). */
  training: boolean;
  /** The concrete size of the symbolic batch dimension B. */
  batchSize: number;
  /** A fresh seed for each random draw, derived from the run's seed, so runs are reproducible. */
  nextSeed(): number;
  step: number;
  /** Views evaluate on held-out data: data nodes with a test split draw from it. */
  split?: 'test';
  /** Set when sampling: nodes that can show their intermediate states (the reverse sampler) call it. */
  record?: (name: string, value: Tensor) => void;
}

export type Init = 'glorot' | 'he' | 'zeros' | 'ones' | { normal: number } | { uniform: number };

/** Creates the variables a node owns; the runtime names them `${owner}/${name}` for checkpoints. */
export interface VarFactory {
  make(name: string, shape: number[], init: Init, trainable?: boolean): Variable;
}

/** Raw datasets, loaded by the runtime before building (files in Node, served assets in the browser). */
export interface MnistSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}
export type DatasetId = 'mnist-train' | 'mnist-test';
export interface DataProvider {
  get(id: DatasetId): MnistSet;
}

export interface BuildCtx<P> {
  tf: TF;
  data: DataProvider;
  nodeId: string;
  params: P;
  inputs: Inputs;
  outputs: Record<string, TensorInfo>;
  vars: VarFactory;
}

export interface NodeImpl {
  forward(inputs: Record<string, Value | undefined>, ctx: ForwardCtx): Record<string, Value | undefined>;
  dispose?(): void;
  /**
   * State that is not a variable but that a resumed run needs to continue exactly (an image pool's
   * history). `save` lends the node's own tensors; `load` takes ownership of the ones it is given.
   */
  state?: { save(): Tensor[]; load(values: Tensor[]): void };
}

export interface KindDef<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Stable id stored in documents: renaming one needs a migration. */
  kind: string;
  title: string;
  category: Category;
  /** One line for the palette. */
  summary: string;
  /** A paragraph for people learning the model. */
  doc: string;
  params: z.ZodType<P>;
  inputs(p: P): PortSpec[];
  outputs(p: P): PortSpec[];
  /** Pure shape rule: output infos from input infos, or a ShapeError naming the port. */
  infer(p: P, inputs: Inputs): Record<string, TensorInfo | undefined>;
  /** True for networks: they own trainable variables and can be named in a phase's `trains`. */
  trainable?: boolean;
  /** Nodes that are not evaluated by training steps (e.g. samplers run only when sampling). */
  sampleOnly?: boolean;
  /** Datasets the runtime must load before building this node. */
  datasets?(p: P): DatasetId[];
  build(ctx: BuildCtx<P>): NodeImpl;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = KindDef<any>;

export function defineKind<P extends Record<string, unknown>>(def: KindDef<P>): KindDef<P> {
  return def;
}

export function isTensorValue(v: Value | undefined): v is Tensor {
  return v !== undefined && typeof (v as Tensor).dtype === 'string' && Array.isArray((v as Tensor).shape);
}

export function expectTensor(v: Value | undefined, port: string): Tensor {
  if (!isTensorValue(v)) throw new Error(`input '${port}' is missing or is not a tensor`);
  return v;
}

export function expectKind<K extends 'gaussian' | 'schedule' | 'network'>(
  v: Value | undefined,
  kind: K,
  port: string,
): Extract<Value, { kind: K }> {
  if (v === undefined || isTensorValue(v) || v.kind !== kind) {
    throw new Error(`input '${port}' must be a ${kind}`);
  }
  return v as Extract<Value, { kind: K }>;
}

export type { Shape };

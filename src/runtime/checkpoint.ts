import type * as tfjs from '@tensorflow/tfjs';
import type { GraphDocument } from '../core/document/schema';
import type { TrainingProgram } from './program';

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Byte offset into the weights blob (float32, little-endian). */
  offset: number;
}

export interface CheckpointManifest {
  format: 'gengraph-checkpoint';
  version: 1;
  /** The document this checkpoint belongs to. */
  document: GraphDocument;
  iteration: number;
  variables: TensorEntry[];
  /** Optimizer state per phase (Adam moments, iteration count). */
  optimizers: Record<string, TensorEntry[]>;
  /** Moving averages of weights, by the logical name of the weight, and how many updates they had. */
  ema?: TensorEntry[];
  emaUpdates?: number;
  /** State that nodes keep beside their weights (image pools), by node id, in the node's order. */
  nodeState?: Record<string, TensorEntry[]>;
}

export class CheckpointError extends Error {}

/** Variables and optimizer state, with engine-specific name prefixes replaced by logical names. */
export async function captureCheckpoint(
  p: TrainingProgram,
  document: GraphDocument,
): Promise<{ manifest: CheckpointManifest; data: Uint8Array }> {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, t: tfjs.Tensor, values: Float32Array): TensorEntry => {
    chunks.push(values);
    const e = { name, shape: t.shape.slice(), offset };
    offset += values.byteLength;
    return e;
  };
  const variables: TensorEntry[] = [];
  for (const [name, v] of p.store.named()) variables.push(add(name, v, Float32Array.from(await v.data())));
  const optimizers: Record<string, TensorEntry[]> = {};
  const logical = engineToLogical(p);
  for (const [phase, opt] of p.optimizers) {
    const weights = await opt.getWeights();
    optimizers[phase] = [];
    for (const w of weights) {
      optimizers[phase].push(add(logical(w.name), w.tensor, Float32Array.from(await w.tensor.data())));
      // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's own
      // variables, which must live on.
      if (!('assign' in w.tensor)) w.tensor.dispose();
    }
  }
  const byVar = new Map(p.store.named().map(([logical, v]) => [v, logical] as const));
  const ema: TensorEntry[] = [];
  for (const [v, s] of p.ema) ema.push(add(byVar.get(v)!, s, Float32Array.from(await s.data())));
  const nodeState: Record<string, TensorEntry[]> = {};
  for (const [id, impl] of p.impls) {
    if (!impl.state || p.program.nodes[id]!.owner !== id) continue;
    const saved = impl.state.save();
    const entries: TensorEntry[] = [];
    for (const [i, t] of saved.entries())
      entries.push(add(`${id}/${i}`, t, Float32Array.from(await t.data())));
    nodeState[id] = entries;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  const manifest: CheckpointManifest = {
    format: 'gengraph-checkpoint',
    version: 1,
    document,
    iteration: p.iteration,
    variables,
    optimizers,
    ...(ema.length ? { ema, emaUpdates: p.emaCount } : {}),
    ...(Object.keys(nodeState).length ? { nodeState } : {}),
  };
  return { manifest, data };
}

function engineToLogical(p: TrainingProgram): (engineName: string) => string {
  const pairs = p.store.named().map(([logical, v]) => [v.name, logical] as const);
  return (name) => {
    for (const [engine, logical] of pairs)
      if (name.startsWith(engine)) return logical + name.slice(engine.length);
    return name;
  };
}

function read(data: Uint8Array, e: TensorEntry): Float32Array {
  const n = e.shape.reduce((a, b) => a * b, 1);
  if (e.offset + n * 4 > data.byteLength)
    throw new CheckpointError(`the weights file is shorter than '${e.name}' needs`);
  return new Float32Array(data.slice(e.offset, e.offset + n * 4).buffer);
}

/**
 * Loads weights and optimizer state. Refuses, naming each variable, when the graph's shapes differ
 * from the checkpoint's; nothing is changed unless everything fits.
 */
export async function restoreCheckpoint(
  p: TrainingProgram,
  manifest: CheckpointManifest,
  data: Uint8Array,
): Promise<void> {
  const tf = p.tf;
  if (manifest.format !== 'gengraph-checkpoint' || manifest.version !== 1) {
    throw new CheckpointError('this is not a GenGraph checkpoint (or one from a newer version)');
  }
  const mine = new Map(p.store.named());
  const problems: string[] = [];
  const saved = new Map(manifest.variables.map((e) => [e.name, e]));
  for (const [name, v] of mine) {
    const e = saved.get(name);
    if (!e) problems.push(`'${name}' is not in the checkpoint`);
    else if (e.shape.join() !== v.shape.join())
      problems.push(`'${name}' is [${v.shape}] here but [${e.shape}] in the checkpoint`);
  }
  for (const name of saved.keys())
    if (!mine.has(name)) problems.push(`the checkpoint has '${name}', which this graph does not`);
  if (problems.length) {
    throw new CheckpointError(
      `these weights do not fit this graph:\n  ${problems.slice(0, 12).join('\n  ')}`,
    );
  }
  for (const [name, v] of mine) {
    const e = saved.get(name)!;
    const value = tf.tensor(read(data, e), e.shape);
    v.assign(value);
    value.dispose();
  }
  const toEngine = new Map(p.store.named().map(([logical, v]) => [logical, v.name]));
  const engine = (name: string) => {
    for (const [logical, en] of toEngine)
      if (name.startsWith(logical)) return en + name.slice(logical.length);
    return name;
  };
  for (const [phase, entries] of Object.entries(manifest.optimizers)) {
    const opt = p.optimizers.get(phase);
    if (!opt || entries.length === 0) continue;
    const values = entries.map((e) => ({
      name: engine(e.name),
      tensor: tf.tensor(read(data, e), e.shape),
    }));
    // tf.js optimizers make their moment variables from these tensors (sharing their data) and
    // read the iteration count out of the first, but never dispose them: without this, every
    // resume left one stray tensor per saved optimizer weight for the rest of the run.
    // Loading into a program that has trained replaces its moments: free the old ones first.
    for (const w of await opt.getWeights()) w.tensor.dispose();
    await opt.setWeights(values);
    values.forEach((v) => v.tensor.dispose());
  }
  for (const e of manifest.ema ?? []) {
    const v = mine.get(e.name);
    if (!v) continue;
    const value = tf.tensor(read(data, e), e.shape);
    const s = p.ema.get(v);
    if (!s) p.ema.set(v, tf.variable(value, false, `${v.name}/ema`));
    else s.assign(value);
    value.dispose();
  }
  p.emaCount = manifest.emaUpdates ?? 0;
  // Checkpoints written before node state was saved simply start those nodes afresh.
  for (const [id, entries] of Object.entries(manifest.nodeState ?? {})) {
    const impl = p.impls.get(id);
    if (impl?.state && p.program.nodes[id]?.owner === id)
      impl.state.load(entries.map((e) => tf.tensor(read(data, e), e.shape)));
  }
  p.iteration = manifest.iteration;
}

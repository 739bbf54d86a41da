import type * as tfjs from '@tensorflow/tfjs';
import { isIndependent, upstream } from '../core/compiler/compile';
import type { IrPhase, Program } from '../core/compiler/ir';
import { summedLosses } from '../core/compiler/ir';
import type { PortRef } from '../core/document/schema';
import { initMode } from '../core/kinds/common';
import { getKind } from '../core/kinds/registry';
import type { DataProvider, ForwardCtx, NodeImpl, Value } from '../core/kinds/types';
import { isTensorValue } from '../core/kinds/types';
import { hashString } from '../core/random';
import { VarStore } from './vars';
import { lrFactor, makeOptimizer, prepareGradients, setLearningRate } from './optim';

type TF = typeof tfjs;

export interface StepResult {
  phase: string;
  /** Unweighted loss per loss node, read back from the device (only when asked to read). */
  losses?: Record<string, number>;
}

/**
 * A compiled program made real: every node built with TF.js, one optimizer per phase, and a step
 * function per phase. It interprets the IR (no eval), so a strict Content-Security-Policy holds.
 */
export class TrainingProgram {
  readonly store: VarStore;
  readonly impls = new Map<string, NodeImpl>();
  readonly optimizers = new Map<string, tfjs.Optimizer>();
  /** Iterations done: one iteration runs every phase its number of steps. */
  iteration = 0;
  /** Moving averages of trained weights (phases with `ema`), used in place of the weights when sampling. */
  readonly ema = new Map<tfjs.Variable, tfjs.Variable>();
  /** Moving-average updates so far (the warm-up depends on it). */
  emaCount = 0;

  constructor(
    readonly tf: TF,
    readonly program: Program,
    data: DataProvider,
    seed = program.seed,
  ) {
    this.seed = seed;
    this.store = new VarStore(tf, seed);
    const nodes = program.nodes;
    // Owners first: a node that shares weights reuses its owner's built network.
    const owners = program.order.filter((id) => nodes[id]!.owner === id);
    for (const id of owners) {
      const n = nodes[id]!;
      const kind = getKind(n.kind)!;
      this.impls.set(
        id,
        kind.build({
          tf,
          data,
          nodeId: id,
          params: n.params,
          inputs: n.inputInfo,
          outputs: n.outputInfo,
          vars: this.store.factory(id, initMode(n.params)),
        }),
      );
    }
    for (const id of program.order)
      if (!this.impls.has(id)) this.impls.set(id, this.impls.get(nodes[id]!.owner)!);
    for (const ph of program.phases) {
      this.optimizers.set(ph.id, makeOptimizer(tf, ph.optimizer));
      this.baseLr.set(ph.id, ph.optimizer.lr);
    }
  }

  /** Each phase's learning rate before its schedule (the document's, or one set while training). */
  private readonly baseLr = new Map<string, number>();

  private readonly seed: number;

  /** Seeds depend on (run seed, iteration, phase, step, draw), so a resumed run draws what it would have. */
  ctx(training: boolean, batchSize: number, salt: string): ForwardCtx {
    let draw = 0;
    const base = hashString(`${salt}/${this.iteration}`, this.seed >>> 0);
    return {
      tf: this.tf,
      training,
      batchSize,
      step: this.iteration,
      nextSeed: () => hashString(String(draw++), base),
    };
  }

  /** Evaluates the scheduled nodes and returns every node's outputs (inside the caller's tidy). */
  private run(
    schedule: readonly string[],
    ctx: ForwardCtx,
    overrides?: ReadonlyMap<string, Record<string, tfjs.Tensor>>,
  ): Map<string, Record<string, Value | undefined>> {
    const values = new Map<string, Record<string, Value | undefined>>();
    for (const id of schedule) {
      const n = this.program.nodes[id]!;
      const inputs: Record<string, Value | undefined> = {};
      for (const [port, src] of Object.entries(n.inputs)) inputs[port] = values.get(src.node)?.[src.port];
      const out = this.impls.get(id)!.forward(inputs, ctx);
      // A view may pin some outputs (InfoGAN's codes swept over a grid, points on a plane for D).
      values.set(id, overrides?.has(id) ? { ...out, ...overrides.get(id) } : out);
    }
    return values;
  }

  trainableVars(phase: IrPhase): tfjs.Variable[] {
    return phase.trains.flatMap((id) => this.store.trainable(id));
  }

  /**
   * Losses and gradients of one step of a phase, without applying them. The caller disposes
   * `losses` and `grads` (kept outside any scope).
   */
  gradients(
    phase: IrPhase,
    stepIndex: number,
    keepLosses = true,
  ): { losses: tfjs.Scalar[]; grads: tfjs.NamedTensorMap } {
    const tf = this.tf;
    const vars = this.trainableVars(phase);
    const ctx = this.ctx(true, this.program.batchSize, `${phase.id}/${stepIndex}`);
    const losses: tfjs.Scalar[] = [];
    const summed = new Set(summedLosses(phase));
    const grads = tf.tidy(() => {
      const opt = this.optimizers.get(phase.id)!;
      const { grads: g } = opt.computeGradients(() => {
        const values = this.run(phase.schedule, ctx);
        const parts: tfjs.Scalar[] = [];
        for (const l of phase.losses) {
          const v = values.get(l.node)!.loss as tfjs.Scalar;
          if (keepLosses) losses.push(tf.keep(v.clone()));
          // CycleGAN without the identity loss saves two generators' backward passes this way.
          if (summed.has(l)) parts.push(l.weight === 1 ? v : tf.mul(v, l.weight));
        }
        return (parts.length === 1 ? parts[0]! : tf.addN(parts)) as tfjs.Scalar;
      }, vars);
      return prepareGradients(tf, g, vars, phase.optimizer);
    });
    return { losses, grads };
  }

  /** One optimizer step of one phase; with read, the losses come back (one async readback). */
  async stepPhase(phase: IrPhase, stepIndex: number, read: boolean): Promise<StepResult> {
    const { losses, grads } = this.gradients(phase, stepIndex, read);
    const opt = this.optimizers.get(phase.id)!;
    const from = phase.optimizer.linearDecayFrom;
    if (from !== undefined)
      setLearningRate(
        opt,
        this.baseLr.get(phase.id)! * lrFactor(this.iteration, this.program.iterations, from),
      );
    opt.applyGradients(grads);
    this.tf.dispose(Object.values(grads));
    if (phase.ema !== undefined) this.updateEma(phase);
    if (!read) {
      this.tf.dispose(losses);
      return { phase: phase.id };
    }
    const values = await Promise.all(losses.map((t) => t.data()));
    this.tf.dispose(losses);
    return {
      phase: phase.id,
      losses: Object.fromEntries(phase.losses.map((l, i) => [l.node, values[i]![0]!])),
    };
  }

  /** One iteration: every phase, each for its number of steps. Losses are read on the last step. */
  async step(read: boolean): Promise<StepResult[]> {
    const out: StepResult[] = [];
    for (const ph of this.program.phases) {
      for (let k = 0; k < ph.steps; k++) out.push(await this.stepPhase(ph, k, read && k === ph.steps - 1));
    }
    this.iteration++;
    return out.filter((r) => r.losses);
  }

  /** Evaluates named ports outside training (batch norm uses its running statistics). The caller disposes. */
  evaluate(
    refs: readonly PortRef[],
    batchSize: number,
    salt = 'eval',
    record?: (name: string, value: tfjs.Tensor) => void,
    opts: { split?: 'test'; overrides?: ReadonlyMap<string, Record<string, tfjs.Tensor>> } = {},
  ): Value[] {
    const schedule = upstream(this.program.nodes, this.program.order, refs, isIndependent);
    let out: Value[] = [];
    this.withEma(() =>
      this.tf.tidy(() => {
        const ctx = this.ctx(false, batchSize, salt);
        if (opts.split) ctx.split = opts.split;
        if (record) ctx.record = (name, t) => record(name, this.tf.keep(t));
        const values = this.run(schedule, ctx, opts.overrides);
        out = refs.map((r) => values.get(r.node)?.[r.port]).filter((v): v is Value => v !== undefined);
        for (const v of out) keepValue(this.tf, v);
      }),
    );
    return out;
  }

  /** With TF's warm-up, decay = min(ema, (1 + n) / (10 + n)), so short runs do not average in the init. */
  private updateEma(phase: IrPhase): void {
    const tf = this.tf;
    const n = this.emaCount++;
    const decay = Math.min(phase.ema!, (1 + n) / (10 + n));
    for (const v of this.trainableVars(phase)) {
      let s = this.ema.get(v);
      if (!s) {
        // The variable shares the clone's data; the clone itself must go, or it lingers all run.
        const init = v.clone();
        s = tf.variable(init, false, `${v.name}/ema`);
        init.dispose();
        this.ema.set(v, s);
      }
      const next = tf.tidy(() => tf.add(tf.mul(s, decay), tf.mul(v, 1 - decay)));
      s.assign(next);
      next.dispose();
    }
  }

  /** Runs f with the moving averages in place of the weights (if there are any), then puts them back. */
  withEma<T>(f: () => T): T {
    if (this.ema.size === 0) return f();
    const saved = [...this.ema.keys()].map((v) => [v, v.clone()] as const);
    for (const [v, s] of this.ema) v.assign(s);
    try {
      return f();
    } finally {
      for (const [v, t] of saved) {
        v.assign(t);
        t.dispose();
      }
    }
  }

  setLearningRate(phaseId: string, lr: number): void {
    const opt = this.optimizers.get(phaseId);
    if (!opt) throw new Error(`no phase '${phaseId}'`);
    // A scheduled phase applies its factor to this on its next step.
    this.baseLr.set(phaseId, lr);
    setLearningRate(opt, lr);
  }

  dispose(): void {
    for (const impl of new Set(this.impls.values())) impl.dispose?.();
    for (const o of this.optimizers.values()) o.dispose();
    for (const s of this.ema.values()) s.dispose();
    this.store.dispose();
  }
}

function keepValue(tf: TF, v: Value): void {
  if (isTensorValue(v)) tf.keep(v);
  else if (v.kind === 'gaussian') [v.mean, v.logvar].forEach((t) => tf.keep(t));
}

/** Frees a value that evaluate() kept (schedules and network handles own nothing to free). */
export function disposeValue(v: Value): void {
  if (isTensorValue(v)) v.dispose();
  else if (v.kind === 'gaussian') [v.mean, v.logvar].forEach((t) => t.dispose());
}

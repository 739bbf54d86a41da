import type * as tfjs from '@tensorflow/tfjs';
import { compile } from '../core/compiler/compile';
import { formatDiagnostic } from '../core/diagnostics';
import { applyPreset } from '../core/document/presets';
import type { GraphDocument } from '../core/document/schema';
import type { DataProvider, DatasetId } from '../core/kinds/types';
import type { Program } from '../core/compiler/ir';
import { isTensorValue } from '../core/kinds/types';
import type { BackendAttempt, BackendChoice, FromWorker, ToWorker } from '../core/protocol';
import type { CheckpointManifest } from './checkpoint';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import { TrainingProgram, disposeValue } from './program';

type TF = typeof tfjs;

export interface SessionHost {
  tf: TF;
  selectBackend(choice: BackendChoice): Promise<{ backend: string; attempts: BackendAttempt[] }>;
  /** With these two, 'auto' measures the graph on every usable backend and keeps the fastest. */
  usableBackends?(): Promise<{ names: string[]; attempts: BackendAttempt[] }>;
  useBackend?(name: string): Promise<void>;
  /** How the active backend runs (threads, SIMD), for the status line. */
  describeBackend?(): string | undefined;
  loadData(ids: DatasetId[]): Promise<DataProvider>;
  post(msg: FromWorker, transfer?: Transferable[]): void;
  /** Lets queued messages (pause, step) in between iterations. */
  yieldToEvents(): Promise<void>;
  now(): number;
}

const PROGRESS_INTERVAL_MS = 100;
const MEASURE_MS = 1000;
const FIRST_STEP_CAP_MS = 4000;

/**
 * One training run as the app drives it: compile, build, loop, pause, step, save and load. The
 * worker is a thin shell around it; the same code runs in Node tests.
 */
export class TrainingSession {
  private program?: TrainingProgram;
  private doc?: GraphDocument;
  private running = false;
  /** Position inside an iteration for "step one phase": index of the next (phase, step). */
  private cursor = 0;
  private lastLosses: Record<string, number> = {};
  private lastPost = 0;
  private windowStart = 0;
  private windowSteps = 0;
  private stepsPerSec = 0;

  constructor(private readonly host: SessionHost) {}

  async handle(msg: ToWorker): Promise<void> {
    try {
      switch (msg.type) {
        case 'init':
          return await this.init(msg.doc, msg.backend, msg.preset);
        case 'start':
          return await this.run();
        case 'pause':
          this.running = false;
          return this.postState();
        case 'step':
          if (this.running) return;
          if (msg.unit === 'phase') await this.stepPhase();
          else await this.stepIteration(true);
          return this.postState();
        case 'setLearningRate':
          return this.need().setLearningRate(msg.phase, msg.lr);
        case 'save':
          return await this.save();
        case 'load':
          return await this.load(
            msg.checkpoint.manifest as unknown as CheckpointManifest,
            msg.checkpoint.data,
          );
        case 'sample':
          return await this.sample(msg.output, msg.n);
        case 'probe':
          return await this.probe(msg);
      }
    } catch (e) {
      if (msg.type === 'probe') {
        // A view that cannot be drawn says so in place; training goes on.
        this.host.post({
          type: 'error',
          message: `probe ${msg.id}: ${e instanceof Error ? e.message : String(e)}`,
        });
        return;
      }
      if (msg.type === 'load') {
        // Weights that do not fit are checked before any is assigned: the run is as it was.
        this.host.post({ type: 'error', message: `load: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      this.running = false;
      this.host.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private need(): TrainingProgram {
    if (!this.program) throw new Error('no program: compile the graph first');
    return this.program;
  }

  private async init(doc: GraphDocument, choice: BackendChoice, preset?: string): Promise<void> {
    this.program?.dispose();
    this.program = undefined;
    this.doc = preset ? applyPreset(doc, preset) : doc;
    const compiled = compile(this.doc);
    if (!compiled.program) {
      throw new Error(
        `the graph does not compile:\n${compiled.diagnostics.map(formatDiagnostic).join('\n')}`,
      );
    }
    const data = await this.host.loadData(compiled.program.datasets as DatasetId[]);
    const { backend, attempts } =
      choice === 'auto' && this.host.usableBackends && this.host.useBackend
        ? await this.measureBackends(compiled.program, data)
        : await this.host.selectBackend(choice);
    this.program = new TrainingProgram(this.host.tf, compiled.program, data);
    this.cursor = 0;
    this.host.post({
      type: 'ready',
      backend,
      backendDetail: this.host.describeBackend?.(),
      attempts,
      iterations: compiled.program.iterations,
      phases: compiled.program.phases.map((p) => ({
        id: p.id,
        label: p.label,
        steps: p.steps,
        trains: p.trains,
        losses: p.losses.map((l) => l.node),
        lr: p.optimizer.lr,
        lrDecayFrom: p.optimizer.linearDecayFrom,
      })),
    });
  }

  /**
   * Auto: trains this graph for about a second on each usable backend and keeps the fastest (WebGPU
   * on a real GPU, wasm on a CPU like a laptop's), reporting every rate. A backend whose first step
   * takes longer than FIRST_STEP_CAP_MS is given up on without waiting for it.
   */
  private async measureBackends(
    program: Program,
    data: DataProvider,
  ): Promise<{ backend: string; attempts: BackendAttempt[] }> {
    const { names, attempts } = await this.host.usableBackends!();
    if (names.length === 0)
      throw new Error(
        `no TF.js backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
      );
    const rates: Record<string, number> = {};
    if (names.length > 1) {
      for (const name of names) {
        await this.host.useBackend!(name);
        const p = new TrainingProgram(this.host.tf, program, data);
        const timeout = new Promise<'slow'>((r) => setTimeout(() => r('slow'), FIRST_STEP_CAP_MS));
        const first = await Promise.race([p.step(true).then(() => 'done' as const), timeout]);
        if (first === 'slow') {
          // Its queued work is left to finish in the background; this worker ends with the run.
          rates[name] = 0;
          const a = attempts.find((x) => x.name === name)!;
          a.reason = `its first step took over ${FIRST_STEP_CAP_MS / 1000} s`;
          continue;
        }
        const t0 = this.host.now();
        let n = 0;
        while (this.host.now() - t0 < MEASURE_MS) {
          await p.step(n % 4 === 3); // read back now and then, so queued GPU work is counted
          n++;
        }
        await p.step(true);
        rates[name] = ((n + 1) * 1000) / (this.host.now() - t0);
        p.dispose();
      }
    }
    const best = names.reduce((b, n) => ((rates[n] ?? 0) > (rates[b] ?? 0) ? n : b), names[0]!);
    await this.host.useBackend!(best);
    for (const a of attempts) {
      const r = rates[a.name];
      if (r !== undefined && r > 0) a.itPerSec = Math.round(r * 100) / 100;
      if (a.ok && a.name !== best) {
        a.ok = false;
        a.reason ??= `measured ${r?.toFixed(2)} it/s on this graph, slower than ${best} (${rates[best]?.toFixed(2)} it/s)`;
      }
    }
    return { backend: best, attempts };
  }

  private postState(): void {
    const p = this.program;
    this.host.post({
      type: 'state',
      running: this.running,
      finished: Boolean(p && p.iteration >= p.program.iterations),
    });
  }

  private async run(): Promise<void> {
    const p = this.need();
    if (this.running) return;
    this.running = true;
    this.postState();
    this.windowStart = this.host.now();
    this.windowSteps = 0;
    while (this.running && p.iteration < p.program.iterations) {
      const read = (p.iteration + 1) % p.program.logEvery === 0;
      if (!(await this.stepIteration(read))) break;
      await this.host.yieldToEvents();
    }
    this.running = false;
    this.postState();
  }

  /** Runs the rest of the current iteration; false when a loss diverged. */
  private async stepIteration(read: boolean): Promise<boolean> {
    const p = this.need();
    const slots = this.slots();
    for (let i = this.cursor; i < slots.length; i++) {
      const [phase, k] = slots[i]!;
      const r = await p.stepPhase(phase, k, read && k === phase.steps - 1);
      if (r.losses && !this.check(r.losses)) return false;
    }
    this.cursor = 0;
    p.iteration++;
    this.windowSteps++;
    this.maybePost(read);
    return true;
  }

  private async stepPhase(): Promise<void> {
    const p = this.need();
    const slots = this.slots();
    const [phase, k] = slots[this.cursor]!;
    const r = await p.stepPhase(phase, k, true);
    this.cursor = (this.cursor + 1) % slots.length;
    if (this.cursor === 0) p.iteration++;
    if (r.losses && this.check(r.losses)) this.maybePost(true);
  }

  private slots() {
    return this.need().program.phases.flatMap((ph) =>
      Array.from({ length: ph.steps }, (_, k) => [ph, k] as const),
    );
  }

  private check(losses: Record<string, number>): boolean {
    Object.assign(this.lastLosses, losses);
    const bad = Object.entries(losses).find(([, v]) => !Number.isFinite(v));
    if (!bad) return true;
    const p = this.need();
    this.running = false;
    const label = p.program.nodes[bad[0]]?.label ?? bad[0];
    this.host.post({
      type: 'diverged',
      node: bad[0],
      value: bad[1],
      iteration: p.iteration + 1,
      message: `${label} became ${bad[1]} at step ${p.iteration + 1}: training paused. Lower the learning rate or reset.`,
    });
    return false;
  }

  private maybePost(force: boolean): void {
    const now = this.host.now();
    if (!force && now - this.lastPost < PROGRESS_INTERVAL_MS) return;
    if (now > this.windowStart) this.stepsPerSec = (this.windowSteps * 1000) / (now - this.windowStart);
    if (now - this.windowStart > 1000) {
      this.windowStart = now;
      this.windowSteps = 0;
    }
    this.lastPost = now;
    const mem = this.host.tf.memory();
    const p = this.need();
    this.host.post({
      type: 'progress',
      iteration: p.iteration,
      phaseCursor: this.cursor,
      losses: { ...this.lastLosses },
      stepsPerSec: this.stepsPerSec,
      memory: { tensors: mem.numTensors, bytes: mem.numBytes },
    });
  }

  private async save(): Promise<void> {
    const { manifest, data } = await captureCheckpoint(this.need(), this.doc!);
    const bytes = new Uint8Array(data);
    this.host.post(
      {
        type: 'saved',
        checkpoint: { manifest: manifest as unknown as Record<string, unknown>, data: bytes },
      },
      [bytes.buffer],
    );
  }

  private async load(manifest: CheckpointManifest, data: Uint8Array): Promise<void> {
    await restoreCheckpoint(this.need(), manifest, data);
    this.cursor = 0;
    this.host.post({ type: 'loaded', iteration: this.need().iteration });
  }

  private async probe(msg: Extract<ToWorker, { type: 'probe' }>): Promise<void> {
    const p = this.need();
    const tf = p.tf;
    const overrides = new Map<string, Record<string, tfjs.Tensor>>();
    for (const o of msg.overrides ?? []) {
      overrides.set(o.node, { ...overrides.get(o.node), [o.port]: tf.tensor(o.data, o.shape) });
    }
    const recorded: Array<{ name: string; t: tfjs.Tensor }> = [];
    const values = p.evaluate(
      msg.refs,
      msg.n,
      `probe/${p.iteration}`,
      msg.record ? (name, t) => recorded.push({ name, t }) : undefined,
      { split: msg.split, overrides },
    );
    for (const m of overrides.values()) for (const t of Object.values(m)) t.dispose();
    try {
      if (values.length !== msg.refs.length) throw new Error('a probed port produced no value');
      const tensors = values.map((v) => (isTensorValue(v) ? v : v.kind === 'gaussian' ? v.mean : undefined));
      const bad = tensors.findIndex((t) => !t);
      if (bad >= 0) throw new Error(`${msg.refs[bad]!.node}.${msg.refs[bad]!.port} is not a tensor`);
      const out = await Promise.all(
        tensors.map(async (t) => ({ shape: t!.shape.slice(), data: Float32Array.from(await t!.data()) })),
      );
      const records = await Promise.all(
        recorded.map(async (r) => ({
          name: r.name,
          shape: r.t.shape.slice(),
          data: Float32Array.from(await r.t.data()),
        })),
      );
      this.host.post({ type: 'probed', id: msg.id, values: out, records }, [
        ...out.map((o) => o.data.buffer),
        ...records.map((r) => r.data.buffer),
      ]);
    } finally {
      for (const v of values) disposeValue(v);
      for (const r of recorded) r.t.dispose();
    }
  }

  private async sample(output: string, n: number): Promise<void> {
    const p = this.need();
    const ref = p.program.outputs[output];
    if (!ref) throw new Error(`this graph has no output '${output}'`);
    const [v] = p.evaluate([ref], n, `view/${p.iteration}`);
    if (!isTensorValue(v)) throw new Error(`output '${output}' is not a tensor`);
    const data = Float32Array.from(await v.data());
    const shape = v.shape.slice();
    v.dispose();
    this.host.post({ type: 'samples', output, shape, data }, [data.buffer]);
  }

  dispose(): void {
    this.running = false;
    this.program?.dispose();
  }
}

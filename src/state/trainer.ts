import type { GraphDocument } from '../core/document/schema';
import type { BackendChoice, FromWorker, ToWorker } from '../core/protocol';
import { FromWorker as FromWorkerSchema } from '../core/protocol';
import { Ring } from './ring';
import type { LossPoint, TrainingState } from './training';
import { initialTraining, isRunning, reduce } from './training';

export interface Checkpoint {
  manifest: Record<string, unknown>;
  data: Uint8Array<ArrayBuffer>;
}

type Listener = () => void;
export type RestartResult = { kept: true; iteration: number } | { kept: false; reason: string };
export type ProbeResult = Extract<FromWorker, { type: 'probed' }>;

/** The page's handle on the training worker. Reset terminates the worker and starts a fresh one. */
export class Trainer {
  private worker?: Worker;
  private state: TrainingState = initialTraining;
  private listeners = new Set<Listener>();
  readonly history = new Ring<LossPoint>(4000);
  private probes = new Map<number, { resolve(m: ProbeResult): void; reject(e: Error): void }>();
  private nextProbe = 1;
  /** How the last run was started, so a stale run can restart the same way on the new graph. */
  lastRun?: { backend: BackendChoice; preset?: string; threads?: number };
  private waiting: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void }> = [];

  constructor(private readonly makeWorker: () => Worker = defaultWorker) {}

  get = (): TrainingState => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(msg, transfer);
  }

  private receive = (e: MessageEvent): void => {
    const parsed = FromWorkerSchema.safeParse(e.data);
    const msg: FromWorker = parsed.success
      ? parsed.data
      : { type: 'error', message: `bad message from the worker: ${parsed.error.message}` };
    // Probes answer by id; one that fails is that view's problem, not the run's.
    const probeError = msg.type === 'error' ? /^probe (\d+): ([\s\S]*)$/.exec(msg.message) : null;
    if (msg.type === 'probed' || probeError) {
      const id = msg.type === 'probed' ? msg.id : Number(probeError![1]);
      const p = this.probes.get(id);
      this.probes.delete(id);
      if (msg.type === 'probed') p?.resolve(msg);
      else p?.reject(new Error(probeError![2]));
      return;
    }
    // Weights that would not load leave the run as it was: only the request fails.
    const loadError = msg.type === 'error' ? /^load: ([\s\S]*)$/.exec(msg.message) : null;
    if (loadError) {
      const i = this.waiting.findIndex((w) => w.type === 'loaded');
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve({ type: 'error', message: loadError[1]! });
      return;
    }
    if (msg.type === 'progress' && Object.keys(msg.losses).length) {
      const last = this.history.toArray().at(-1);
      // Progress between readbacks repeats the last losses read; the curve only gets fresh ones.
      const fresh = !last || Object.entries(msg.losses).some(([k, v]) => last.losses[k] !== v);
      if (fresh && (!last || last.iteration !== msg.iteration))
        this.history.push({ iteration: msg.iteration, losses: msg.losses, time: performance.now() });
    }
    if (msg.type === 'ready') this.history.clear();
    this.state = reduce(this.state, msg);
    const i = this.waiting.findIndex((w) => w.type === msg.type || msg.type === 'error');
    if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(msg);
    this.emit();
  };

  private request<T extends FromWorker['type']>(
    msg: ToWorker,
    reply: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        type: reply,
        resolve: (m) =>
          m.type === 'error' ? reject(new Error(m.message)) : resolve(m as Extract<FromWorker, { type: T }>),
      });
      this.send(msg);
    });
  }

  /** Compiles and builds the graph in a fresh worker; resolves when it is ready to train. */
  async prepare(
    doc: GraphDocument,
    backend: BackendChoice,
    preset: string | undefined,
    revision: number,
    threads?: number,
  ): Promise<void> {
    this.reset();
    this.lastRun = { backend, preset, threads };
    this.worker = this.makeWorker();
    this.worker.onmessage = this.receive;
    this.worker.onerror = (e) =>
      this.receive(new MessageEvent('message', { data: { type: 'error', message: e.message } }));
    this.state = {
      ...initialTraining,
      status: { kind: 'starting' },
      compiledRevision: revision,
      compiledTitle: doc.title,
    };
    this.emit();
    await this.request(
      { type: 'init', doc, backend, ...(preset ? { preset } : {}), ...(threads ? { threads } : {}) },
      'ready',
    );
  }

  /**
   * Recompiles a live run for the changed graph. The weights, optimizer state and iteration carry
   * over when they still fit it (every variable keeps its name and shape: a sampler setting, a loss
   * weight, a learning rate), and so does the loss history; otherwise the new run starts afresh. A
   * run that was training goes on training; a paused one that kept its weights stays paused.
   */
  async restart(doc: GraphDocument, revision: number): Promise<RestartResult> {
    const { backend = 'auto', preset, threads } = this.lastRun ?? {};
    const wasRunning = isRunning(this.state);
    const carry = this.state.status.kind === 'ready' ? await this.save().catch(() => undefined) : undefined;
    const history = this.history.toArray();
    await this.prepare(doc, backend, preset, revision, threads);
    let result: RestartResult = { kept: false, reason: 'a run that diverged starts afresh' };
    if (carry) {
      try {
        result = { kept: true, iteration: await this.load(carry) };
        for (const h of history) if (h.iteration <= result.iteration) this.history.push(h);
        this.emit();
      } catch (e) {
        result = { kept: false, reason: (e as Error).message };
      }
    }
    if (wasRunning || !result.kept) this.start();
    return result;
  }

  start(): void {
    this.send({ type: 'start' });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  /** Ends the run where it is: weights stay for saving and sampling; Train starts a new run. */
  stop(): void {
    this.send({ type: 'pause' });
    if (this.state.status.kind === 'ready') {
      this.state = { ...this.state, status: { kind: 'ready', running: false, finished: true } };
      this.emit();
    }
  }

  step(unit: 'iteration' | 'phase'): void {
    this.send({ type: 'step', unit });
  }

  setLearningRate(phase: string, lr: number): void {
    this.send({ type: 'setLearningRate', phase, lr });
  }

  async save(): Promise<Checkpoint> {
    return (await this.request({ type: 'save' }, 'saved')).checkpoint;
  }

  async load(checkpoint: Checkpoint): Promise<number> {
    return (await this.request({ type: 'load', checkpoint }, 'loaded')).iteration;
  }

  async sample(output: string, n: number): Promise<{ shape: number[]; data: Float32Array }> {
    return this.request({ type: 'sample', output, n }, 'samples');
  }

  /**
   * Evaluates ports of the trained graph in one pass, with some outputs pinned (overrides), on test
   * data if asked: what the views draw. Works while training; the worker answers between steps.
   */
  probe(req: Omit<Extract<ToWorker, { type: 'probe' }>, 'type' | 'id'>): Promise<ProbeResult> {
    if (!this.worker || this.state.status.kind !== 'ready')
      return Promise.reject(new Error('no trained model yet'));
    const id = this.nextProbe++;
    return new Promise((resolve, reject) => {
      this.probes.set(id, { resolve, reject });
      this.send({ type: 'probe', id, ...req });
    });
  }

  /** Ends the worker (and its TF.js memory); the next prepare starts from scratch. */
  reset(): void {
    for (const p of this.probes.values()) p.reject(new Error('the run was reset'));
    this.probes.clear();
    this.worker?.terminate();
    this.worker = undefined;
    for (const w of this.waiting.splice(0)) w.resolve({ type: 'error', message: 'the run was reset' });
    this.state = initialTraining;
    this.history.clear();
    this.emit();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' });
}

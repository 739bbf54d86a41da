import type { BackendAttempt, FromWorker } from '../core/protocol';
import type { z } from 'zod';
import type { PhaseInfo } from '../core/protocol';

export type Phase = z.infer<typeof PhaseInfo>;

export type Status =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'ready'; running: boolean; finished: boolean }
  | { kind: 'diverged'; node: string; message: string }
  | { kind: 'error'; message: string };

export interface LossPoint {
  iteration: number;
  losses: Record<string, number>;
  /** When the page received it (ms, performance.now()): losses are read back, so the work is done. */
  time: number;
}

export interface TrainingState {
  status: Status;
  backend?: string;
  backendDetail?: string;
  attempts: BackendAttempt[];
  phases: Phase[];
  iterations: number;
  iteration: number;
  phaseCursor: number;
  stepsPerSec: number;
  memory: { tensors: number; bytes: number };
  losses: Record<string, number>;
  /** Document revision the running program was compiled from; stale when the editor's differs. */
  compiledRevision?: number;
  /** Title of that document: a run of another graph (a template or file opened since) is named by it. */
  compiledTitle?: string;
  lastSaved?: number;
}

export const initialTraining: TrainingState = {
  status: { kind: 'idle' },
  attempts: [],
  phases: [],
  iterations: 0,
  iteration: 0,
  phaseCursor: 0,
  stepsPerSec: 0,
  memory: { tensors: 0, bytes: 0 },
  losses: {},
};

/** Pure: the session as the page sees it, after one message from the worker. */
export function reduce(s: TrainingState, m: FromWorker): TrainingState {
  switch (m.type) {
    case 'ready':
      return {
        ...s,
        status: { kind: 'ready', running: false, finished: false },
        backend: m.backend,
        backendDetail: m.backendDetail,
        attempts: m.attempts,
        phases: m.phases,
        iterations: m.iterations,
        iteration: 0,
        phaseCursor: 0,
        losses: {},
      };
    case 'progress':
      return {
        ...s,
        iteration: m.iteration,
        phaseCursor: m.phaseCursor,
        losses: m.losses,
        stepsPerSec: m.stepsPerSec,
        memory: m.memory,
      };
    case 'state':
      return s.status.kind === 'diverged' || s.status.kind === 'error'
        ? s
        : {
            ...s,
            // A stopped run stays finished: the worker's pause reply must not reopen it.
            status: {
              kind: 'ready',
              running: m.running,
              finished: m.finished || (s.status.kind === 'ready' && s.status.finished && !m.running),
            },
          };
    case 'diverged':
      return { ...s, status: { kind: 'diverged', node: m.node, message: m.message } };
    case 'error':
      return { ...s, status: { kind: 'error', message: m.message } };
    case 'loaded':
      return { ...s, iteration: m.iteration, status: { kind: 'ready', running: false, finished: false } };
    case 'saved':
      return { ...s, lastSaved: s.iteration };
    case 'samples':
    case 'probed':
      return s;
  }
}

export function isRunning(s: TrainingState): boolean {
  return s.status.kind === 'ready' && s.status.running;
}

import { describe, expect, it } from 'vitest';
import { initialTraining, reduce } from './training';

const ready = reduce(initialTraining, {
  type: 'ready',
  backend: 'wasm',
  attempts: [
    { name: 'webgpu', ok: false, reason: 'no adapter' },
    { name: 'wasm', ok: true },
  ],
  phases: [{ id: 'elbo', label: 'ELBO', steps: 1, trains: ['enc'], losses: ['rec'], lr: 1e-3 }],
  iterations: 20,
});

describe('the training session as the page sees it', () => {
  it('is ready after the worker says so, with the backend and why others were skipped', () => {
    expect(ready.status).toEqual({ kind: 'ready', running: false, finished: false });
    expect(ready.attempts[0]).toMatchObject({ ok: false, reason: 'no adapter' });
  });

  it('keeps a diverged run diverged when the worker reports it stopped', () => {
    const d = reduce(ready, {
      type: 'diverged',
      node: 'kl',
      value: NaN,
      iteration: 7,
      message: 'KL became NaN at step 7',
    });
    expect(reduce(d, { type: 'state', running: false, finished: false }).status.kind).toBe('diverged');
  });

  it('keeps a stopped run finished when the pause reply arrives', () => {
    const stopped = { ...ready, status: { kind: 'ready' as const, running: false, finished: true } };
    expect(reduce(stopped, { type: 'state', running: false, finished: false }).status).toMatchObject({
      finished: true,
    });
    expect(reduce(ready, { type: 'state', running: true, finished: false }).status).toMatchObject({
      running: true,
    });
  });

  it('records progress', () => {
    const p = reduce(ready, {
      type: 'progress',
      iteration: 5,
      phaseCursor: 0,
      losses: { rec: 120 },
      stepsPerSec: 9,
      memory: { tensors: 26, bytes: 1 },
    });
    expect(p).toMatchObject({ iteration: 5, losses: { rec: 120 }, stepsPerSec: 9 });
  });
});

import { useState, useSyncExternalStore } from 'react';
import { BACKEND_CHOICES } from '../core/protocol';
import type { BackendChoice } from '../core/protocol';
import type { EditorStore } from '../state/store';
import { activePreset, useEditor } from '../state/store';
import { presetChoices, presetDescription, presetLabel } from '../core/document/presets';
import type { Trainer } from '../state/trainer';
import { isRunning } from '../state/training';
import type { TrainingState } from '../state/training';

export function useTraining(trainer: Trainer) {
  return useSyncExternalStore(trainer.subscribe, trainer.get);
}

/**
 * One value derived from the training state: the component re-renders only when it changes, not on
 * every progress message (ten a second), so the canvas and the views stay out of the training loop.
 */
export function useTrainingSelect<T>(trainer: Trainer, select: (t: TrainingState) => T): T {
  return useSyncExternalStore(trainer.subscribe, () => select(trainer.get()));
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function formatBytes(n: number): string {
  return n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

const THREAD_CHOICES = Array.from(
  { length: Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 1)) },
  (_, i) => i + 1,
);

/** Train / Pause / Step / Stop, the backend in use and why, progress and memory. */
export function TrainingBar({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const t = useTraining(trainer);
  const doc = useEditor(store, (s) => s.doc);
  const revision = useEditor(store, (s) => s.revision);
  const hasErrors = useEditor(store, (s) => s.problems.some((d) => d.severity === 'error'));
  const [backend, setBackend] = useState<BackendChoice>('auto');
  const preset = useEditor(store, activePreset);
  // wasm threads: '' lets the worker choose (one per core but one).
  const [threads, setThreads] = useState('');
  const running = isRunning(t);
  const live = t.status.kind === 'ready' || t.status.kind === 'diverged';
  const stale = live && t.compiledRevision !== revision;
  const finished = t.status.kind === 'ready' && t.status.finished;

  const prepare = async () => {
    try {
      await trainer.prepare(
        store.get().doc,
        backend,
        preset || undefined,
        store.get().revision,
        threads ? Number(threads) : undefined,
      );
      return true;
    } catch {
      return false;
    }
  };
  const train = async () => {
    if (!live || stale || finished) {
      if (!(await prepare())) return;
    }
    trainer.start();
  };
  const step = async (unit: 'iteration' | 'phase') => {
    if (!live || stale) {
      if (!(await prepare())) return;
    }
    trainer.step(unit);
  };
  const skipped = t.attempts.filter((a) => !a.ok);
  return (
    <div className="gg-trainbar" data-testid="training-bar">
      <label>
        Backend{' '}
        <select
          aria-label="Backend"
          value={backend}
          onChange={(e) => setBackend(e.target.value as BackendChoice)}
          disabled={running}
        >
          {BACKEND_CHOICES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      {(backend === 'wasm' || backend === 'auto') && (
        <label title="Threads of the wasm backend. Auto: one per core, but one left to the page.">
          Threads{' '}
          <select
            aria-label="Threads"
            value={threads}
            onChange={(e) => setThreads(e.target.value)}
            disabled={running}
          >
            <option value="">auto</option>
            {THREAD_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      {Object.keys(doc.presets).length > 0 && (
        <label>
          Preset{' '}
          <select
            aria-label="Preset"
            value={preset}
            onChange={(e) => store.setPreset(e.target.value)}
            disabled={running}
            title={presetDescription(doc, preset) || 'the graph as built, full size'}
          >
            <option value="">none (full size)</option>
            {presetChoices(doc).map((p) => (
              <option key={p} value={p} title={presetDescription(doc, p)}>
                {presetLabel(p)}
              </option>
            ))}
          </select>
        </label>
      )}
      {running ? (
        <button type="button" onClick={() => trainer.pause()}>
          ❚❚ Pause
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => void train()}
          disabled={hasErrors || t.status.kind === 'starting'}
        >
          ▶ {live && !stale && !finished && t.iteration > 0 ? 'Resume' : 'Train'}
        </button>
      )}
      <button
        type="button"
        onClick={() => void step('iteration')}
        disabled={running || hasErrors}
        title="Run one iteration: every phase once"
      >
        Step
      </button>
      <button
        type="button"
        onClick={() => void step('phase')}
        disabled={running || hasErrors}
        title="Run the next phase only"
      >
        Step phase
      </button>
      <button
        type="button"
        onClick={() => trainer.stop()}
        disabled={!live || finished}
        title="End the run here; keep its weights for saving"
      >
        Stop
      </button>
      <button
        type="button"
        onClick={() => trainer.reset()}
        disabled={t.status.kind === 'idle'}
        title="End the run and free its memory"
      >
        ■ Reset
      </button>
      {live && t.iterations > 0 && (
        <progress
          className="gg-progress"
          max={t.iterations}
          value={t.iteration}
          aria-label="Training progress"
          data-testid="progress"
        />
      )}
      <span className="gg-train-status" data-testid="train-status">
        {t.status.kind === 'starting' && 'compiling and loading data…'}
        {live && (
          <>
            iteration {t.iteration} / {t.iterations} · {t.stepsPerSec.toFixed(1)} it/s
            {running && t.stepsPerSec > 0 && (
              <> · ETA {formatEta((t.iterations - t.iteration) / t.stepsPerSec)}</>
            )}{' '}
            ·{' '}
            <span
              className="gg-backend"
              data-testid="backend"
              title={
                skipped.length
                  ? `not used: ${skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')}`
                  : 'first choice'
              }
            >
              {t.backend}
            </span>{' '}
            · {t.memory.tensors} tensors, {formatBytes(t.memory.bytes)}
          </>
        )}
      </span>
    </div>
  );
}

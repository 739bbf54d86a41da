import { useRef, useState } from 'react';
import { nodeName } from '../core/graph/analyze';
import {
  decodeCheckpointFile,
  encodeCheckpointFile,
  loadCheckpoint,
  saveCheckpoint,
} from '../state/checkpoint-store';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import type { Trainer } from '../state/trainer';
import { isRunning } from '../state/training';
import { useTraining } from './TrainingBar';
import { downloadBlob } from './download';

/** The run as text: why a backend was chosen, stale and diverged warnings, phases, losses, weights. */
export function TrainingPanel({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const t = useTraining(trainer);
  const doc = useEditor(store, (s) => s.doc);
  const revision = useEditor(store, (s) => s.revision);
  const [note, setNote] = useState<string>();
  const upload = useRef<HTMLInputElement>(null);
  const live = t.status.kind === 'ready' || t.status.kind === 'diverged';
  const stale = live && t.compiledRevision !== revision;
  // Another document was opened since (no edit changes the title): the run is the old graph's, not a draft of this one.
  const other = stale && t.compiledTitle !== undefined && t.compiledTitle !== doc.title;
  // Weights are saved and named as the run's graph, which after opening another is not the one on screen.
  const runTitle = t.compiledTitle ?? doc.title;
  const key = `weights:${runTitle}`;
  const act = async (f: () => Promise<string>) => {
    try {
      setNote(await f());
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  const restart = () =>
    act(async () => {
      const r = await trainer.restart(store.get().doc, store.get().revision);
      return r.kept
        ? `restarted on the new graph with the trained weights (iteration ${r.iteration})`
        : `restarted on the new graph from fresh weights: ${r.reason}`;
    });
  if (t.status.kind === 'idle') {
    return (
      <section className="gg-panel" data-testid="training-panel">
        <h2>Training</h2>
        <p className="gg-muted">Press Train to compile this graph and train it in a background worker.</p>
      </section>
    );
  }
  return (
    <section className="gg-panel" data-testid="training-panel">
      <h2>Training</h2>
      {t.status.kind === 'error' && (
        <p className="gg-banner bad" role="alert">
          {t.status.message}
        </p>
      )}
      {t.status.kind === 'diverged' && (
        <p className="gg-banner bad" role="alert" data-testid="diverged">
          {t.status.message}
        </p>
      )}
      {stale && (
        <p className="gg-banner warn" data-testid="stale">
          {other ? (
            <>
              This run is of <strong>{t.compiledTitle}</strong>, not the graph now open. Save or download its
              weights to keep them; Train starts <strong>{doc.title}</strong> afresh.
            </>
          ) : (
            <>
              The graph changed since this run was compiled, so it is still training the old graph. Restarting
              keeps the trained weights if they still fit.{' '}
              <button type="button" onClick={() => void restart()}>
                Restart with the new graph
              </button>
            </>
          )}
        </p>
      )}
      {t.backend && (
        <p className="gg-muted" data-testid="backend-why">
          Running on <strong>{t.backend}</strong>
          {t.backendDetail && <span data-testid="backend-detail"> ({t.backendDetail})</span>}
          {t.attempts.some((a) => a.itPerSec !== undefined) && (
            <span data-testid="backend-measured">
              {' '}
              (chosen by measuring this graph:{' '}
              {t.attempts
                .filter((a) => a.itPerSec !== undefined)
                .map((a) => `${a.name} ${a.itPerSec} it/s`)
                .join(', ')}
              ; pick another backend above to override)
            </span>
          )}
          {t.attempts
            .filter((a) => !a.ok)
            .map((a) => (
              <span key={a.name}>
                ; not {a.name}: {a.reason}
              </span>
            ))}
          .
        </p>
      )}
      <table className="gg-losses" data-testid="losses">
        <thead>
          <tr>
            <th>phase</th>
            <th>loss</th>
            <th>value</th>
            <th>lr</th>
          </tr>
        </thead>
        <tbody>
          {t.phases.flatMap((ph) =>
            ph.losses.map((l, i) => (
              <tr key={`${ph.id}-${l}`}>
                <td>{i === 0 ? `${ph.label}${ph.steps > 1 ? ` ×${ph.steps}` : ''}` : ''}</td>
                <td>{doc.nodes[l] ? nodeName(doc, l) : l}</td>
                <td className="num">{t.losses[l] === undefined ? '–' : t.losses[l]!.toPrecision(5)}</td>
                <td>
                  {i === 0 && (
                    <input
                      aria-label={`learning rate of ${ph.label}`}
                      type="number"
                      step="any"
                      min="0"
                      defaultValue={ph.lr}
                      onChange={(e) => {
                        const v = Number(e.target.value);
                        if (v > 0) trainer.setLearningRate(ph.id, v);
                      }}
                    />
                  )}
                  {i === 0 && ph.lrDecayFrom !== undefined && (
                    <span
                      className="gg-muted"
                      data-testid="lr-decay"
                      title={`falls linearly to 0 from ${Math.round(ph.lrDecayFrom * 100)}% of the iterations`}
                    >
                      {' '}
                      {`↘\u00a0${Math.round(ph.lrDecayFrom * 100)}%`}
                    </span>
                  )}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <div className="gg-row">
        <button
          type="button"
          disabled={!live || isRunning(t)}
          onClick={() =>
            void act(
              async () => (
                await saveCheckpoint(key, await trainer.save()),
                `saved in this browser at iteration ${t.iteration}`
              ),
            )
          }
        >
          Save weights
        </button>
        <button
          type="button"
          disabled={!live || isRunning(t)}
          onClick={() =>
            void act(async () => {
              const c = await loadCheckpoint(key);
              if (!c) return 'no weights saved in this browser for this graph yet';
              return `loaded weights from iteration ${await trainer.load(c)}`;
            })
          }
        >
          Load saved
        </button>
        <button
          type="button"
          disabled={!live || isRunning(t)}
          onClick={() =>
            void act(async () => {
              downloadBlob(
                encodeCheckpointFile(await trainer.save()),
                `${runTitle.replace(/\W+/g, '-').toLowerCase()}.ggck`,
              );
              return 'weights downloaded';
            })
          }
        >
          Download
        </button>
        <button type="button" disabled={!live || isRunning(t)} onClick={() => upload.current?.click()}>
          Upload…
        </button>
        <input
          ref={upload}
          type="file"
          accept=".ggck"
          hidden
          data-testid="upload-weights"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f)
              void act(
                async () =>
                  `loaded weights from iteration ${await trainer.load(decodeCheckpointFile(await f.arrayBuffer()))}`,
              );
          }}
        />
      </div>
      {note && (
        <p className="gg-muted" data-testid="weights-note">
          {note}
        </p>
      )}
    </section>
  );
}

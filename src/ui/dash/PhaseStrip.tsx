import { useMemo } from 'react';
import { compile } from '../../core/compiler/compile';
import { nodeName } from '../../core/graph/analyze';
import type { EditorStore } from '../../state/store';
import { useEditor } from '../../state/store';
import type { Trainer } from '../../state/trainer';
import { useTrainingSelect } from '../TrainingBar';

export interface PhaseView {
  id: string;
  label: string;
  steps: number;
  trains: string[];
  losses: string[];
}

/** The plan the compiler made (including the implicit phase of a graph with none written). */
export function usePhases(store: EditorStore): PhaseView[] {
  const doc = useEditor(store, (s) => s.doc);
  const analysis = useEditor(store, (s) => s.analysis);
  return useMemo(() => {
    const p = compile(doc, analysis).program;
    return (p?.phases ?? []).map((ph) => ({
      id: ph.id,
      label: ph.label,
      steps: ph.steps,
      trains: ph.trains,
      losses: ph.losses.map((l) => l.node),
    }));
  }, [doc, analysis]);
}

/**
 * The training loop made visible: one chip per phase (D-step ×k, G-step). Selecting one lights up the
 * networks it updates and the losses it minimises on the canvas; while training, the running phase glows.
 */
export function PhaseStrip({
  store,
  trainer,
  selected,
  onSelect,
}: {
  store: EditorStore;
  trainer: Trainer;
  selected?: string;
  onSelect(phase: PhaseView | undefined): void;
}) {
  const phases = usePhases(store);
  const doc = useEditor(store, (s) => s.doc);
  const running = useTrainingSelect(trainer, (t) => t.status.kind === 'ready' && t.status.running);
  const cursor = useTrainingSelect(trainer, (t) => (t.phases.length > 0 ? t.phaseCursor : -1));
  if (phases.length === 0) return <span className="gg-muted">No training plan yet: add a loss.</span>;
  return (
    <ol className="gg-phase-strip" aria-label="Training loop" data-testid="phase-strip">
      {phases.map((p, i) => {
        const next = !running && cursor >= 0 && i === cursor % phases.length;
        return (
          <li key={p.id}>
            <button
              type="button"
              className={`gg-phase${selected === p.id ? ' on' : ''}${next ? ' next' : ''}${running ? ' running' : ''}`}
              aria-pressed={selected === p.id}
              data-phase={p.id}
              title={`updates ${p.trains.map((id) => nodeName(doc, id)).join(', ')}; minimises ${p.losses
                .map((id) => nodeName(doc, id))
                .join(' + ')}`}
              onClick={() => onSelect(selected === p.id ? undefined : p)}
            >
              <strong>{p.label}</strong>
              {p.steps > 1 && <span className="gg-phase-k">×{p.steps}</span>}
              <small>
                {p.trains.map((id) => nodeName(doc, id)).join(', ')} ← {p.losses.length} loss
                {p.losses.length === 1 ? '' : 'es'}
              </small>
            </button>
            {i < phases.length - 1 && <span className="gg-phase-arrow">→</span>}
          </li>
        );
      })}
      <li className="gg-phase-loop" title="then the next iteration starts">
        ↺
      </li>
    </ol>
  );
}

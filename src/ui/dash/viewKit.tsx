import { useCallback, useEffect, useRef, useState } from 'react';
import type { TensorData } from '../../core/protocol';
import type { Trainer } from '../../state/trainer';
import { useTrainingSelect } from '../TrainingBar';
import type { GraphDocument } from '../../core/document/schema';
import { paintImages } from './draw';

/** The id of the first node of a kind, if the graph has one. */
export const byKind = (doc: GraphDocument, kind: string) =>
  Object.entries(doc.nodes).find(([, n]) => n.kind === kind)?.[0];

/** Redraws a view every few hundred iterations while training, and when a run pauses or ends. */
export function useRefreshTick(trainer: Trainer): number {
  return useTrainingSelect(trainer, (t) => {
    const every = Math.min(250, Math.max(5, Math.ceil(t.iterations / 20)));
    const bucket = Math.floor(t.iteration / every);
    const running = t.status.kind === 'ready' && t.status.running;
    return t.status.kind === 'ready' ? bucket * 2 + (running ? 0 : 1) : -1;
  });
}

export function Canvas2d({
  paint,
  testId,
  label,
}: {
  paint(c: HTMLCanvasElement): void;
  testId?: string;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) paint(ref.current);
  }, [paint]);
  return <canvas ref={ref} className="gg-view-canvas" data-testid={testId} aria-label={label} role="img" />;
}

export function Grid({
  rows,
  cols,
  label,
  testId,
}: {
  rows: TensorData[];
  cols: number;
  label: string;
  testId?: string;
}) {
  const paint = useCallback((c: HTMLCanvasElement) => paintImages(c, rows, cols, 2), [rows, cols]);
  return <Canvas2d paint={paint} label={label} testId={testId} />;
}

/** Runs a probe whenever `tick` changes; keeps the last good result and says why a probe failed. */
export function useProbe<T>(
  trainer: Trainer,
  tick: number,
  run: () => Promise<T>,
): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    if (tick < 0) return;
    let live = true;
    run().then(
      (data) => live && setState({ data }),
      (e: Error) => live && setState((s) => ({ ...s, error: e.message })),
    );
    return () => {
      live = false;
    };
    // run is rebuilt with the graph; tick says when to redraw.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, trainer]);
  return state;
}

export function Waiting({ tick }: { tick: number }) {
  return (
    <p className="gg-muted">
      {tick < 0
        ? 'Train (or Step) and this view fills in; it refreshes every few hundred iterations.'
        : 'Drawing…'}
    </p>
  );
}

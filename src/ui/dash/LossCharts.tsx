import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EditorStore } from '../../state/store';
import { useEditor } from '../../state/store';
import type { Trainer } from '../../state/trainer';
import type { LossPoint } from '../../state/training';
import { nodeName } from '../../core/graph/analyze';
import { useTrainingSelect } from '../TrainingBar';

const SERIES_COLORS = [
  '#60a5fa',
  '#f87171',
  '#34d399',
  '#fbbf24',
  '#c084fc',
  '#2dd4bf',
  '#fb923c',
  '#f472b6',
];

/** Exponential moving average, debiased like Adam's, so early points are not pulled toward 0. */
export function smooth(ys: number[], alpha: number): number[] {
  if (alpha <= 0) return ys;
  let m = 0;
  return ys.map((y, i) => {
    m = alpha * m + (1 - alpha) * y;
    return m / (1 - alpha ** (i + 1));
  });
}

function PhaseChart({
  title,
  losses,
  names,
  history,
  version,
  log,
  alpha,
}: {
  title: string;
  losses: string[];
  names: Record<string, string>;
  history: () => LossPoint[];
  version: number;
  log: boolean;
  alpha: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = `${losses.join()}|${log}`;

  useEffect(() => {
    const el = box.current!;
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 170,
      title,
      legend: { show: true, live: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        { stroke: '#94a3b8', grid: { stroke: '#1f2937' }, ticks: { stroke: '#374151' } },
        { stroke: '#94a3b8', grid: { stroke: '#1f2937' }, ticks: { stroke: '#374151' }, size: 52 },
      ],
      series: [
        { label: 'iteration' },
        ...losses.map((id, i) => ({
          label: names[id] ?? id,
          stroke: SERIES_COLORS[i % SERIES_COLORS.length],
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
    plot.current = new uPlot(opts, [[], ...losses.map(() => [])], el);
    const ro = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: 170 }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series or the scale change; data flows in through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    const h = history();
    const xs = h.map((p) => p.iteration);
    const ys = losses.map((id) => {
      const raw = h.map((p) => p.losses[id] ?? NaN);
      const s = smooth(raw, alpha);
      return log ? s.map((v) => (v > 0 ? v : null)) : s;
    });
    plot.current?.setData([xs, ...ys] as uPlot.AlignedData);
  }, [version, alpha, key, history, losses, log]);

  return <div className="gg-chart" ref={box} data-testid="loss-chart" data-phase={title} />;
}

/** A live curve per loss node, one chart per phase (D and G side by side), from the ring buffer. */
export function LossCharts({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const phases = useTrainingSelect(trainer, (t) => t.phases);
  const doc = useEditor(store, (s) => s.doc);
  const [log, setLog] = useState(false);
  const [alpha, setAlpha] = useState(0.6);
  // Charts redraw at most once per animation frame however fast progress arrives.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let raf = 0;
    const un = trainer.subscribe(() => {
      if (!raf)
        raf = requestAnimationFrame(() => {
          raf = 0;
          setVersion((v) => v + 1);
        });
    });
    return () => {
      un();
      cancelAnimationFrame(raf);
    };
  }, [trainer]);

  if (phases.length === 0)
    return (
      <p className="gg-muted">Press Train (or Step) and a curve appears here for every loss, per phase.</p>
    );
  const names = Object.fromEntries(phases.flatMap((p) => p.losses).map((id) => [id, nodeName(doc, id)]));
  const history = () => trainer.history.toArray();
  return (
    <div className="gg-losses-view">
      <div className="gg-chart-tools">
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
        </label>
        <label>
          smoothing{' '}
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={alpha}
            aria-label="Smoothing"
            onChange={(e) => setAlpha(Number(e.target.value))}
          />{' '}
          {alpha.toFixed(2)}
        </label>
        <span className="gg-muted">{trainer.history.size} points</span>
      </div>
      <div className="gg-charts">
        {phases.map((p) => (
          <PhaseChart
            key={p.id}
            title={`${p.label}${p.steps > 1 ? ` ×${p.steps}` : ''}`}
            losses={p.losses}
            names={names}
            history={history}
            version={version}
            log={log}
            alpha={alpha}
          />
        ))}
      </div>
    </div>
  );
}

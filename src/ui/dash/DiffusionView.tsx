import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { GraphDocument } from '../../core/document/schema';
import type { Analysis } from '../../core/graph/analyze';
import { scheduleArrays } from '../../core/kinds/diffusion-schedule';
import type { ScheduleParams } from '../../core/kinds/diffusion-schedule';
import { mulberry32 } from '../../core/random';
import type { TensorData } from '../../core/protocol';
import type { Trainer } from '../../state/trainer';
import { paintImages } from './draw';
import { Canvas2d, Grid, byKind, useRefreshTick } from './viewKit';

let digitCache: Promise<Float32Array> | undefined;
/** The first MNIST test digit, in [0, 1], fetched from the served data set. */
function firstTestDigit(): Promise<Float32Array> {
  digitCache ??= fetch(`${import.meta.env.BASE_URL}data/mnist/t10k-images-idx3-ubyte`)
    .then((r) => {
      if (!r.ok) throw new Error(`MNIST is not served (${r.status}): run npm start, which prepares it`);
      return r.arrayBuffer();
    })
    .then((b) => Float32Array.from(new Uint8Array(b, 16, 784), (v) => v / 255));
  return digitCache;
}

export function DiffusionView({
  doc,
  analysis,
  trainer,
}: {
  doc: GraphDocument;
  analysis: Analysis;
  trainer: Trainer;
}) {
  const schedNode = byKind(doc, 'diffusion.schedule')!;
  const params = analysis.nodes[schedNode]?.params as ScheduleParams | undefined;
  const arrays = useMemo(() => (params ? scheduleArrays(params) : undefined), [params]);
  const T = params?.T ?? 1000;
  const samplerNode = byKind(doc, 'diffusion.sampler');
  const samplerSteps = samplerNode
    ? (analysis.nodes[samplerNode]?.params as { steps?: number } | undefined)?.steps || T
    : T;
  const [t, setT] = useState(Math.round(T / 4));
  const imageData = byKind(doc, 'data.mnist');
  const [digit, setDigit] = useState<Float32Array>();
  const [digitError, setDigitError] = useState<string>();
  useEffect(() => {
    if (imageData) firstTestDigit().then(setDigit, (e: Error) => setDigitError(e.message));
  }, [imageData]);
  const chartBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!arrays || !chartBox.current) return;
    const xs = Array.from({ length: T }, (_, i) => i);
    const snr = Array.from(arrays.alphaBars, (a) => Math.log10(a / (1 - a)));
    const u = new uPlot(
      {
        width: Math.max(260, chartBox.current.clientWidth),
        height: 180,
        title: 'Noise schedule',
        scales: { x: { time: false }, snr: { auto: true } },
        axes: [
          { stroke: '#94a3b8', grid: { stroke: '#1f2937' }, label: 't' },
          { stroke: '#94a3b8', grid: { stroke: '#1f2937' }, scale: 'y', size: 46 },
          { stroke: '#fbbf24', side: 1, scale: 'snr', grid: { show: false }, label: 'log₁₀ SNR', size: 50 },
        ],
        series: [
          { label: 't' },
          { label: 'ᾱ_t', stroke: '#60a5fa', width: 2, scale: 'y' },
          { label: 'β_t ×10', stroke: '#f87171', width: 1.5, scale: 'y' },
          { label: 'log₁₀ SNR', stroke: '#fbbf24', width: 1.5, scale: 'snr' },
        ],
      },
      [xs, Array.from(arrays.alphaBars), Array.from(arrays.betas, (b) => b * 10), snr],
      chartBox.current,
    );
    return () => u.destroy();
  }, [arrays, T]);

  const tick = useRefreshTick(trainer);
  const [reverse, setReverse] = useState<{ data?: TensorData[]; error?: string; busy?: boolean }>({});
  const runReverse = async () => {
    setReverse({ busy: true });
    try {
      const r = await trainer.probe({ refs: [doc.outputs.samples!], n: 1, record: true });
      setReverse({ data: r.records.length ? r.records : r.values });
    } catch (e) {
      setReverse({ error: (e as Error).message });
    }
  };

  const noisy = useCallback(
    (c: HTMLCanvasElement) => {
      if (!digit || !arrays) return;
      const rng = mulberry32(7);
      const eps = Float32Array.from({ length: 784 }, () => {
        const u = rng() + 1e-12;
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
      });
      // q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I), on the digit scaled to [−1, 1] as the model sees it.
      const at = (s: number) => {
        const a = arrays.alphaBars[s]!;
        return Float32Array.from(digit, (v, i) => Math.sqrt(a) * (2 * v - 1) + Math.sqrt(1 - a) * eps[i]!);
      };
      const marks = [0, 0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.min(T - 1, Math.round(f * (T - 1))));
      const strip = new Float32Array((marks.length + 1) * 784);
      strip.set(at(t), 0);
      marks.forEach((s, i) => strip.set(at(s), (i + 1) * 784));
      // Clip to [−1, 1] for display.
      for (let i = 0; i < strip.length; i++) strip[i] = Math.max(-1, Math.min(1, strip[i]!));
      paintImages(c, [{ shape: [marks.length + 1, 28, 28, 1], data: strip }], marks.length + 1, 3);
    },
    [digit, arrays, t, T],
  );

  if (!arrays) return <p className="gg-muted">The schedule node has invalid settings.</p>;
  const a = arrays.alphaBars[t]!;
  return (
    <div className="gg-views" data-testid="view-diffusion">
      <figure className="wide">
        <div ref={chartBox} className="gg-chart" data-testid="schedule-chart" />
      </figure>
      {imageData && (
        <figure>
          <figcaption>
            q(x<sub>t</sub> | x<sub>0</sub>) on a real test digit: first at the slider's t, then at t = 0,
            T/10, T/4, T/2, 3T/4, T
          </figcaption>
          <label className="gg-slider">
            t ={' '}
            <input
              type="range"
              min={0}
              max={T - 1}
              value={t}
              aria-label="Timestep t"
              data-testid="t-slider"
              onChange={(e) => setT(Number(e.target.value))}
            />{' '}
            <output data-testid="t-value">{t}</output> · ᾱ<sub>t</sub> = {a.toFixed(3)} · signal √ᾱ ={' '}
            {Math.sqrt(a).toFixed(3)}, noise √(1−ᾱ) = {Math.sqrt(1 - a).toFixed(3)}
          </label>
          {digit ? (
            <Canvas2d paint={noisy} label="noised digit" testId="noised-digit" />
          ) : (
            <p className="gg-muted">{digitError ?? 'Loading a digit…'}</p>
          )}
        </figure>
      )}
      <figure>
        <figcaption>
          The reverse process, x<sub>T</sub> → x<sub>0</sub>, with the model as trained so far:{' '}
          <span data-testid="reverse-steps">
            {samplerSteps < T
              ? `${samplerSteps} steps of the ${T}, skipping evenly (the sampler's steps setting)`
              : `all ${T} steps`}
          </span>
        </figcaption>
        <button type="button" onClick={() => void runReverse()} disabled={tick < 0 || reverse.busy}>
          {reverse.busy ? 'Denoising…' : 'Run the reverse process'}
        </button>
        {tick < 0 && <span className="gg-muted"> (train or step first)</span>}
        {reverse.data && reverse.data[0]!.shape.length === 4 && (
          <Grid
            rows={[
              {
                shape: [reverse.data.length, ...reverse.data[0]!.shape.slice(1)],
                data: Float32Array.from(
                  reverse.data.flatMap((r) => Array.from(r.data.subarray(0, r.data.length / r.shape[0]!))),
                ),
              },
            ]}
            cols={reverse.data.length}
            label="reverse process"
            testId="reverse-strip"
          />
        )}
        {reverse.error && <p className="gg-banner bad">{reverse.error}</p>}
      </figure>
    </div>
  );
}

import { useCallback, useMemo, useState } from 'react';
import type { GraphDocument, PortRef } from '../../core/document/schema';
import type { Analysis } from '../../core/graph/analyze';
import { pca2 } from '../../core/pca';
import { mulberry32 } from '../../core/random';
import type { TensorData } from '../../core/protocol';
import type { EditorStore } from '../../state/store';
import { trainedAnalysis, useEditor } from '../../state/store';
import type { Trainer } from '../../state/trainer';
import { DIGIT_COLORS, boundsOf, paintScatter } from './draw';
import { Canvas2d, Grid, Waiting, byKind, useProbe, useRefreshTick } from './viewKit';
import { DiffusionView } from './DiffusionView';

export type Family = 'autoencoder' | 'infogan' | 'cyclegan' | 'diffusion' | 'toy2d' | 'samples';

/** Which views explain this graph, read from its structure (so a user's own graphs get them too). */
export function familiesOf(doc: GraphDocument): Family[] {
  const out = doc.outputs;
  const f: Family[] = [];
  if (byKind(doc, 'data.toy2d') && out.samples) f.push('toy2d');
  if (byKind(doc, 'diffusion.schedule')) f.push('diffusion');
  if (['A', 'B', 'AtoB', 'BtoA'].every((k) => out[k])) f.push('cyclegan');
  if (byKind(doc, 'sample.infogan_code') && out.samples) f.push('infogan');
  if (out.inputs && out.reconstructions) f.push('autoencoder');
  if (f.length === 0 && out.samples) f.push('samples');
  return f;
}

function labelsOf(t: TensorData): number[] {
  const k = t.shape[1]!;
  const out: number[] = [];
  for (let i = 0; i < t.shape[0]!; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (t.data[i * k + j]! > t.data[i * k + best]!) best = j;
    out.push(best);
  }
  return out;
}

function AutoencoderView({ doc, trainer }: { doc: GraphDocument; trainer: Trainer }) {
  const tick = useRefreshTick(trainer);
  const o = doc.outputs;
  const dataNode = o.inputs!.node;
  const hasLabel = doc.nodes[dataNode]?.kind === 'data.mnist';
  const recon = useProbe(trainer, tick, () =>
    trainer.probe({ refs: [o.inputs!, o.reconstructions!], n: 10, split: 'test' }),
  );
  const samples = useProbe(trainer, tick, () =>
    o.samples ? trainer.probe({ refs: [o.samples], n: 20 }) : Promise.reject(new Error('no samples output')),
  );
  const latent = useProbe(trainer, tick, async () => {
    if (!o.latents || !hasLabel) throw new Error('no latents output on MNIST');
    const n = 1000;
    const r = await trainer.probe({ refs: [{ node: dataNode, port: 'label' }, o.latents], n, split: 'test' });
    const codes = r.values[1]!;
    const d = codes.shape[1]!;
    const prior = o.prior ? (await trainer.probe({ refs: [o.prior], n })).values[0] : undefined;
    // Project codes and prior draws together, so both land on the same axes.
    const all = new Float32Array((prior ? 2 : 1) * n * d);
    all.set(codes.data);
    if (prior) all.set(prior.data, n * d);
    const { xy, explained } = pca2(all, all.length / d, d);
    return {
      labels: labelsOf(r.values[0]!),
      codes: xy.subarray(0, 2 * n),
      prior: prior ? xy.subarray(2 * n) : undefined,
      d,
      explained,
    };
  });
  const paintLatent = useCallback(
    (c: HTMLCanvasElement) => {
      const l = latent.data;
      if (!l) return;
      c.width = 300;
      c.height = 300;
      const sets = [
        ...(l.prior ? [{ xy: l.prior, color: '#64748b', alpha: 0.45, size: 2 }] : []),
        { xy: l.codes, color: (i: number) => DIGIT_COLORS[l.labels[i]!]!, size: 3 },
      ];
      paintScatter(c, sets, boundsOf([l.codes, ...(l.prior ? [l.prior] : [])]));
    },
    [latent.data],
  );
  if (tick < 0) return <Waiting tick={tick} />;
  return (
    <div className="gg-views" data-testid="view-autoencoder">
      <figure>
        <figcaption>Test digits (top) and their reconstructions (bottom)</figcaption>
        {recon.data ? (
          <Grid
            rows={[recon.data.values[0]!, recon.data.values[1]!]}
            cols={10}
            label="reconstructions"
            testId="recon-grid"
          />
        ) : (
          <Waiting tick={tick} />
        )}
      </figure>
      {o.samples && (
        <figure>
          <figcaption>Samples from the prior</figcaption>
          {samples.data ? (
            <Grid rows={[samples.data.values[0]!]} cols={10} label="samples" testId="sample-grid" />
          ) : (
            <Waiting tick={tick} />
          )}
        </figure>
      )}
      {latent.data && (
        <figure>
          <figcaption>
            Latent codes of 1,000 test digits
            {latent.data.d > 2
              ? `, first two principal axes (${Math.round(100 * (latent.data.explained[0] + latent.data.explained[1]))}% of the variance)`
              : ''}
            {latent.data.prior ? '; grey: draws from the prior they are pushed toward' : ''}
          </figcaption>
          <Canvas2d paint={paintLatent} label="latent space" testId="latent-scatter" />
          <div className="gg-digit-key">
            {DIGIT_COLORS.map((c, i) => (
              <span key={i}>
                <i style={{ background: c }} />
                {i}
              </span>
            ))}
          </div>
        </figure>
      )}
      {recon.error && <p className="gg-banner bad">{recon.error}</p>}
    </div>
  );
}

function InfoGanView({
  doc,
  analysis,
  trainer,
}: {
  doc: GraphDocument;
  analysis: Analysis;
  trainer: Trainer;
}) {
  const tick = useRefreshTick(trainer);
  const codeNode = byKind(doc, 'sample.infogan_code')!;
  const p = analysis.nodes[codeNode]!.params as { noise: number; categories: number; continuous: number };
  const [which, setWhich] = useState(0);
  const steps = 7;
  const grid = useProbe(trainer, tick * 16 + which, () => {
    const K = p.categories;
    const C = p.continuous;
    const n = K * steps;
    const rng = mulberry32(42);
    const noise = Array.from({ length: p.noise }, () => {
      const u = rng() + 1e-12;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
    });
    const width = p.noise + K + C;
    const z = new Float32Array(n * width);
    const cat = new Float32Array(n * K);
    const cont = new Float32Array(n * C);
    for (let k = 0; k < K; k++)
      for (let s = 0; s < steps; s++) {
        const i = k * steps + s;
        z.set(noise, i * width);
        z[i * width + p.noise + k] = 1;
        cat[i * K + k] = 1;
        if (C > 0) {
          const v = -1 + (2 * s) / (steps - 1);
          z[i * width + p.noise + K + which] = v;
          cont[i * C + which] = v;
        }
      }
    const overrides = [
      { node: codeNode, port: 'z', shape: [n, width], data: z },
      { node: codeNode, port: 'cat', shape: [n, K], data: cat },
      ...(C > 0 ? [{ node: codeNode, port: 'cont', shape: [n, C], data: cont }] : []),
    ];
    return trainer.probe({ refs: [doc.outputs.samples!], n, overrides });
  });
  if (tick < 0) return <Waiting tick={tick} />;
  return (
    <div className="gg-views" data-testid="view-infogan">
      <figure>
        <figcaption>
          One row per value of the categorical code; columns sweep continuous code{' '}
          {p.continuous > 1 ? (
            <select
              value={which}
              onChange={(e) => setWhich(Number(e.target.value))}
              aria-label="Continuous code"
            >
              {Array.from({ length: p.continuous }, (_, i) => (
                <option key={i} value={i}>
                  c{i + 1}
                </option>
              ))}
            </select>
          ) : (
            'c1'
          )}{' '}
          from −1 to 1; the noise is the same everywhere.
        </figcaption>
        {grid.data ? (
          <Grid rows={[grid.data.values[0]!]} cols={steps} label="code grid" testId="infogan-grid" />
        ) : (
          <Waiting tick={tick} />
        )}
      </figure>
      {grid.error && <p className="gg-banner bad">{grid.error}</p>}
    </div>
  );
}

function CycleView({ doc, trainer }: { doc: GraphDocument; trainer: Trainer }) {
  const tick = useRefreshTick(trainer);
  const o = doc.outputs;
  const names = ['A', 'AtoB', 'AtoBtoA', 'B', 'BtoA', 'BtoAtoB'].filter((k) => o[k]);
  const r = useProbe(trainer, tick, () => trainer.probe({ refs: names.map((k) => o[k]!), n: 8 }));
  if (tick < 0) return <Waiting tick={tick} />;
  const rows = (ks: string[]) => ks.map((k) => r.data!.values[names.indexOf(k)]!).filter(Boolean);
  return (
    <div className="gg-views" data-testid="view-cyclegan">
      <figure>
        <figcaption>A → G(A) → F(G(A)) (one row each)</figcaption>
        {r.data ? (
          <Grid rows={rows(['A', 'AtoB', 'AtoBtoA'])} cols={8} label="A to B and back" testId="cycle-a" />
        ) : (
          <Waiting tick={tick} />
        )}
      </figure>
      <figure>
        <figcaption>B → F(B) → G(F(B))</figcaption>
        {r.data && (
          <Grid rows={rows(['B', 'BtoA', 'BtoAtoB'])} cols={8} label="B to A and back" testId="cycle-b" />
        )}
      </figure>
      {r.error && <p className="gg-banner bad">{r.error}</p>}
    </div>
  );
}

function Toy2dView({ doc, trainer }: { doc: GraphDocument; trainer: Trainer }) {
  const tick = useRefreshTick(trainer);
  const o = doc.outputs;
  const dataNode = byKind(doc, 'data.toy2d')!;
  // The discriminator that reads real data, if any: its belief is drawn under the points.
  const dNode = Object.values(doc.edges).find(
    (e) => e.source.node === dataNode && doc.nodes[e.target.node]?.kind === 'net.discriminator',
  )?.target.node;
  const G = 40;
  const r = useProbe(trainer, tick, async () => {
    const real = o.real ?? { node: dataNode, port: 'x' };
    const pts = await trainer.probe({ refs: [real, o.samples!], n: 600 });
    const b = boundsOf([pts.values[0]!.data, pts.values[1]!.data], 0.15);
    let heat: { grid: number; values: Float32Array } | undefined;
    if (dNode) {
      const grid = new Float32Array(G * G * 2);
      for (let gy = 0; gy < G; gy++)
        for (let gx = 0; gx < G; gx++) {
          const i = gy * G + gx;
          grid[2 * i] = b.x0 + ((gx + 0.5) / G) * (b.x1 - b.x0);
          grid[2 * i + 1] = b.y0 + ((gy + 0.5) / G) * (b.y1 - b.y0);
        }
      const d = await trainer.probe({
        refs: [{ node: dNode, port: 'logit' }],
        n: G * G,
        overrides: [{ node: dataNode, port: 'x', shape: [G * G, 2], data: grid }],
      });
      heat = { grid: G, values: d.values[0]!.data.map((l) => 1 / (1 + Math.exp(-l))) };
    }
    return { real: pts.values[0]!.data, fake: pts.values[1]!.data, b, heat };
  });
  const paint = useCallback(
    (c: HTMLCanvasElement) => {
      if (!r.data) return;
      c.width = 340;
      c.height = 340;
      paintScatter(
        c,
        [
          { xy: r.data.real, color: '#34d399', size: 3, alpha: 0.7 },
          { xy: r.data.fake, color: '#c084fc', size: 3, alpha: 0.85 },
        ],
        r.data.b,
        r.data.heat,
      );
    },
    [r.data],
  );
  if (tick < 0) return <Waiting tick={tick} />;
  return (
    <div className="gg-views" data-testid="view-toy2d">
      <figure>
        <figcaption>
          <span style={{ color: '#34d399' }}>real</span> and{' '}
          <span style={{ color: '#c084fc' }}>generated</span> points
          {dNode ? ", over the discriminator's belief that a point is real (orange) or fake (blue)" : ''}
        </figcaption>
        {r.data ? (
          <Canvas2d paint={paint} label="real and generated points" testId="toy-scatter" />
        ) : (
          <Waiting tick={tick} />
        )}
      </figure>
      {r.error && <p className="gg-banner bad">{r.error}</p>}
    </div>
  );
}

function SamplesView({ doc, trainer }: { doc: GraphDocument; trainer: Trainer }) {
  const tick = useRefreshTick(trainer);
  const r = useProbe(trainer, tick, () => trainer.probe({ refs: [doc.outputs.samples!], n: 20 }));
  if (tick < 0) return <Waiting tick={tick} />;
  const v = r.data?.values[0];
  return (
    <div className="gg-views">
      <figure>
        <figcaption>Samples</figcaption>
        {v && v.shape.length === 4 ? (
          <Grid rows={[v]} cols={10} label="samples" testId="sample-grid" />
        ) : (
          <Waiting tick={tick} />
        )}
      </figure>
    </div>
  );
}

const TITLES: Record<Family, string> = {
  autoencoder: 'Reconstructions, samples, latent space',
  infogan: 'Codes',
  cyclegan: 'Translations',
  diffusion: 'Diffusion',
  toy2d: '2D data',
  samples: 'Samples',
};

/** What each family needs to be understood, chosen from the graph and refreshed while it trains. */
export function ModelViews({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const doc = useEditor(store, (s) => s.doc);
  // The views describe the graph as it trains: with the preset applied (the tiny DDPM has T = 20).
  const analysis = useEditor(store, trainedAnalysis);
  const families = useMemo(() => familiesOf(doc), [doc]);
  if (families.length === 0)
    return (
      <p className="gg-muted">
        Name an output “samples” (or inputs and reconstructions) and views of it appear here.
      </p>
    );
  return (
    <div className="gg-model-views">
      {families.map((f) => (
        <section key={f}>
          <h3>{TITLES[f]}</h3>
          {f === 'autoencoder' && <AutoencoderView doc={doc} trainer={trainer} />}
          {f === 'infogan' && <InfoGanView doc={doc} analysis={analysis} trainer={trainer} />}
          {f === 'cyclegan' && <CycleView doc={doc} trainer={trainer} />}
          {f === 'toy2d' && <Toy2dView doc={doc} trainer={trainer} />}
          {f === 'diffusion' && <DiffusionView doc={doc} analysis={analysis} trainer={trainer} />}
          {f === 'samples' && <SamplesView doc={doc} trainer={trainer} />}
        </section>
      ))}
    </div>
  );
}

export type { PortRef };

import type { EditorStore } from '../state/store';
import type { Trainer } from '../state/trainer';
import { TrainingPanel } from './TrainingPanel';
import { activePreset, trainedAnalysis, useEditor } from '../state/store';
import { presetDescription, presetLabel, presetParams } from '../core/document/presets';
import { nodeName } from '../core/graph/analyze';
import { CATEGORY_TITLES } from '../core/kinds/types';
import { PORT_TYPE_DOC, formatShape } from '../core/shape';
import { PORT_COLORS } from './theme';
import { ParamForm } from './ParamForm';
import { countNodeParams } from '../core/graph/params';
import * as cmd from '../state/commands';
import { useMemo } from 'react';

function Problems({ store }: { store: EditorStore }) {
  const doc = useEditor(store, (s) => s.doc);
  const diagnostics = useEditor(store, (s) => s.problems);
  return (
    <section className="gg-panel" data-testid="problems">
      <h2>
        Problems <span className={`gg-count${diagnostics.length ? ' bad' : ''}`}>{diagnostics.length}</span>
      </h2>
      {diagnostics.length === 0 ? (
        <p className="gg-muted">No problems: every input is wired and every shape fits.</p>
      ) : (
        <ul className="gg-problems">
          {diagnostics.map((d, i) => (
            <li key={i}>
              <button type="button" onClick={() => d.node && store.select([d.node])} disabled={!d.node}>
                <strong>{d.node ? nodeName(doc, d.node) : d.edge ? `wire ${d.edge}` : 'graph'}</strong>
                {d.port && <code>{d.port}</code>} {d.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Inspector({ store }: { store: EditorStore }) {
  const doc = useEditor(store, (s) => s.doc);
  const analysis = useEditor(store, (s) => s.analysis);
  const selection = useEditor(store, (s) => s.selection);
  const preset = useEditor(store, activePreset);
  const id = selection.length === 1 ? selection[0]! : undefined;
  const node = id ? doc.nodes[id] : undefined;
  const info = id ? analysis.nodes[id] : undefined;
  const paramCount = useMemo(() => (info ? countNodeParams(info) : undefined), [info]);
  const fromPreset = id && preset ? Object.entries(presetParams(doc, preset, id)) : [];
  // What the preset trains can differ in size from the graph on the canvas (CycleGAN's thicken preset
  // gives the translators two downsamplings): say so where the preset's settings are listed.
  const trained = useEditor(store, trainedAnalysis);
  const trainedInfo = id ? trained.nodes[id] : undefined;
  const presetCount = useMemo(() => (trainedInfo ? countNodeParams(trainedInfo) : undefined), [trainedInfo]);
  if (!id || !node || !info) {
    return (
      <section className="gg-panel" data-testid="inspector">
        <h2>{doc.title}</h2>
        <p className="gg-doc">{doc.description}</p>
        {preset && (
          <p className="gg-note" data-testid="preset-note">
            Training uses the <strong>{presetLabel(preset)}</strong> preset{preset.includes(',') ? 's' : ''}
            {presetDescription(doc, preset) ? `: ${presetDescription(doc, preset)}` : '.'}
          </p>
        )}
        <p className="gg-muted">Select a node to see what it does and how it is set up.</p>
      </section>
    );
  }
  return (
    <section className="gg-panel" data-testid="inspector">
      <h2>{nodeName(doc, id)}</h2>
      <p className="gg-muted">
        {info.kind
          ? `${info.kind.title} · ${CATEGORY_TITLES[info.kind.category]}`
          : `unknown kind ${node.kind}`}
        {node.shares && ` · uses the weights and settings of ${nodeName(doc, node.shares)}`}
      </p>
      {paramCount !== undefined && (
        <p className="gg-param-count" data-testid="param-count">
          {paramCount.toLocaleString('en-US')} trainable parameters
        </p>
      )}
      {info.kind && <p className="gg-doc">{info.kind.doc}</p>}
      {node.note && <p className="gg-note">{node.note}</p>}
      <div className="gg-field">
        <label htmlFor="node-label">name</label>
        <input
          id="node-label"
          key={id}
          type="text"
          defaultValue={node.label ?? ''}
          placeholder={info.kind?.title ?? id}
          onChange={(e) =>
            store.change('rename', (d) => cmd.setLabel(d, id, e.target.value), { merge: `label:${id}` })
          }
          onBlur={() => store.breakMerge()}
        />
      </div>
      {info.kind && node.shares && (
        <p className="gg-muted">Settings come from {nodeName(doc, node.shares)}; edit them there.</p>
      )}
      {info.kind && !node.shares && (
        <ParamForm
          store={store}
          nodeId={id}
          kind={info.kind}
          params={info.params ?? node.params}
          explicit={node.params}
        />
      )}
      {fromPreset.length > 0 && (
        <p className="gg-note" data-testid="preset-params">
          For training, the <strong>{presetLabel(preset)}</strong>{' '}
          {preset.includes(',') ? 'presets set' : 'preset sets'}{' '}
          {fromPreset.map(([k, v], i) => (
            <span key={k}>
              {i > 0 && ', '}
              <code>{k}</code> to <code>{JSON.stringify(v)}</code>
            </span>
          ))}
          ; the graph keeps the values above.
          {presetCount !== undefined && presetCount !== paramCount && (
            <> Trained so, this node has {presetCount.toLocaleString('en-US')} trainable parameters.</>
          )}
        </p>
      )}
      <h3>Ports</h3>
      <ul className="gg-portlist">
        {[...info.inputs.map((p) => ({ p, dir: 'in' })), ...info.outputs.map((p) => ({ p, dir: 'out' }))].map(
          ({ p, dir }) => {
            const shape = dir === 'out' ? info.outputInfo[p.name]?.shape : info.inputInfo[p.name]?.shape;
            return (
              <li key={`${dir}-${p.name}`} title={PORT_TYPE_DOC[p.type]}>
                <span className="dot" style={{ background: PORT_COLORS[p.type] }} />
                {dir === 'in' ? '→ ' : '← '}
                <code>{p.name}</code> {p.type}
                {shape && <em className="gg-shape">{formatShape(shape)}</em>}
              </li>
            );
          },
        )}
      </ul>
    </section>
  );
}

export function Sidebar({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  return (
    <aside className="gg-sidebar">
      <TrainingPanel store={store} trainer={trainer} />
      <Inspector store={store} />
      <Problems store={store} />
    </aside>
  );
}

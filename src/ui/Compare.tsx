import { Background, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import type { Edge } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { diffGraphs } from '../core/compare';
import { loadDocument } from '../core/document/load';
import type { GraphDocument } from '../core/document/schema';
import { analyze } from '../core/graph/analyze';
import { formatShape } from '../core/shape';
import { TEMPLATES } from '../core/templates';
import type { EditorStore } from '../state/store';
import { nodeData } from './canvas-model';
import type { GraphFlowNode } from './GraphNode';
import { GraphNode } from './GraphNode';
import { PORT_COLORS } from './theme';

const nodeTypes = { graph: GraphNode };

function Side({
  doc,
  nodeStatus,
  edgeStatus,
  testId,
}: {
  doc: GraphDocument;
  nodeStatus: Record<string, string>;
  edgeStatus: Record<string, string>;
  testId: string;
}) {
  const analysis = useMemo(() => analyze(doc), [doc]);
  const nodes = useMemo(
    (): GraphFlowNode[] =>
      Object.entries(doc.nodes).map(([id, n]) => ({
        id,
        type: 'graph',
        position: n.position,
        data: nodeData(doc, analysis, [], id),
        className: `gg-diff-${nodeStatus[id] ?? 'same'}`,
        draggable: false,
        connectable: false,
      })),
    [doc, analysis, nodeStatus],
  );
  const edges = useMemo(
    (): Edge[] =>
      Object.entries(doc.edges).map(([id, e]) => {
        const info = analysis.edgeInfo[id];
        const status = edgeStatus[id] ?? 'same';
        return {
          id,
          source: e.source.node,
          sourceHandle: e.source.port,
          target: e.target.node,
          targetHandle: e.target.port,
          label: info ? formatShape(info.shape) : undefined,
          className: `gg-diff-edge-${status}`,
          style: {
            stroke: status === 'same' ? (info ? PORT_COLORS[info.type] : '#94a3b8') : undefined,
            strokeWidth: status === 'same' ? 1.5 : 3,
          },
          labelStyle: { fontSize: 9, fill: '#cbd5e1' },
          labelBgStyle: { fill: '#111827' },
        };
      }),
    [doc, analysis, edgeStatus],
  );
  return (
    <div className="gg-compare-canvas" data-testid={testId}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={{ padding: 0.1 }}
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          colorMode="dark"
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} size={1} color="#263041" />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}

const CURRENT = '__current__';

/** Two graphs side by side with a structural diff, and a summary in words, computed from the graphs. */
export function Compare({ store, onClose }: { store: EditorStore; onClose(): void }) {
  const current = store.get().doc;
  const matching = TEMPLATES.find((t) => t.title === current.title);
  const [left, setLeft] = useState<string>(matching?.id === 'aae' ? 'vae' : CURRENT);
  const [right, setRight] = useState<string>(
    matching?.id === 'aae' ? CURRENT : matching?.id === 'vae' ? 'aae' : 'vae',
  );
  const docOf = (id: string): GraphDocument =>
    id === CURRENT ? current : loadDocument(TEMPLATES.find((t) => t.id === id)!.json).doc!;
  const a = useMemo(() => docOf(left), [left]); // eslint-disable-line react-hooks/exhaustive-deps
  const b = useMemo(() => docOf(right), [right]); // eslint-disable-line react-hooks/exhaustive-deps
  const diff = useMemo(
    () =>
      diffGraphs(a, b, {
        nameA: left === CURRENT ? 'your graph' : undefined,
        nameB: right === CURRENT ? 'your graph' : undefined,
      }),
    [a, b, left, right],
  );
  const picker = (value: string, set: (v: string) => void, label: string) => (
    <select value={value} onChange={(e) => set(e.target.value)} aria-label={label}>
      <option value={CURRENT}>Your graph ({current.title})</option>
      {TEMPLATES.map((t) => (
        <option key={t.id} value={t.id}>
          {t.title}
        </option>
      ))}
    </select>
  );
  return (
    <div className="gg-backdrop" onClick={onClose}>
      <div
        className="gg-modal"
        role="dialog"
        aria-label="Compare"
        data-testid="compare"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <strong>Compare</strong>
          {picker(left, setLeft, 'Left graph')}
          <span className="gg-muted">with</span>
          {picker(right, setRight, 'Right graph')}
          <span className="gg-spacer" />
          <span className="gg-diff-key">
            <i className="removed" /> removed <i className="added" /> added <i className="changed" /> changed
          </span>
          <button type="button" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <ul className="gg-diff-summary" data-testid="diff-summary">
          {diff.summary.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ul>
        <div className="gg-compare-sides">
          <div>
            <h3>{a.title}</h3>
            <Side doc={a} nodeStatus={diff.nodes.a} edgeStatus={diff.edges.a} testId="compare-left" />
          </div>
          <div>
            <h3>{b.title}</h3>
            <Side doc={b} nodeStatus={diff.nodes.b} edgeStatus={diff.edges.b} testId="compare-right" />
          </div>
        </div>
      </div>
    </div>
  );
}

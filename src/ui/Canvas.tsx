import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import type { Connection, Edge, EdgeChange, IsValidConnection, NodeChange } from '@xyflow/react';
import { produce } from 'immer';
import { useCallback, useMemo, useState } from 'react';
import type { Analysis } from '../core/graph/analyze';
import { nodeName } from '../core/graph/analyze';
import { canConnect } from '../core/graph/connect';
import type { GraphDocument } from '../core/document/schema';
import { formatShape } from '../core/shape';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import type { GraphFlowNode, GraphNodeData } from './GraphNode';
import { GraphNode } from './GraphNode';
import { CATEGORY_COLORS, PORT_COLORS } from './theme';

// Module scope, so React Flow does not see a new set of node types on every render.
const nodeTypes = { graph: GraphNode };

function nodeData(doc: GraphDocument, a: Analysis, id: string): GraphNodeData {
  const info = a.nodes[id]!;
  const node = doc.nodes[id]!;
  const problems = a.diagnostics
    .filter((d) => d.node === id)
    .map((d) => (d.port ? `${d.port}: ${d.message}` : d.message));
  return {
    title: node.label ?? info.kind?.title ?? id,
    kindTitle: info.kind?.title ?? `unknown kind ${node.kind}`,
    category: info.kind?.category ?? 'op',
    inputs: info.inputs.map((p) => ({ name: p.name, type: p.type, optional: p.optional })),
    outputs: info.outputs.map((p) => {
      const o = info.outputInfo[p.name];
      return { name: p.name, type: o?.type ?? p.type, shape: o ? formatShape(o.shape) : undefined };
    }),
    problems,
    shared: node.shares ? nodeName(doc, node.shares) : undefined,
    trainable: Boolean(info.kind?.trainable),
  };
}

let edgeCounter = 0;
function newEdgeId(doc: GraphDocument): string {
  let id: string;
  do id = `w${Date.now().toString(36)}${(edgeCounter++).toString(36)}`;
  while (doc.edges[id]);
  return id;
}

export function Canvas({ store }: { store: EditorStore }) {
  const doc = useEditor(store, (s) => s.doc);
  const analysis = useEditor(store, (s) => s.analysis);
  const selection = useEditor(store, (s) => s.selection);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [refusal, setRefusal] = useState<string>();

  // Nodes are derived from the document; React Flow's measured sizes are kept beside it.
  const nodes = useMemo(
    () =>
      Object.entries(doc.nodes).map(([id, n]): GraphFlowNode => ({
        id,
        type: 'graph',
        position: n.position,
        data: nodeData(doc, analysis, id),
        selected: selection.includes(id),
        measured: measured[id],
      })),
    [doc, analysis, selection, measured],
  );

  const edges: Edge[] = useMemo(
    () =>
      Object.entries(doc.edges).map(([id, e]) => {
        const info = analysis.edgeInfo[id];
        const bad = analysis.diagnostics.some((d) => d.edge === id);
        return {
          id,
          source: e.source.node,
          sourceHandle: e.source.port,
          target: e.target.node,
          targetHandle: e.target.port,
          label: info ? formatShape(info.shape) : undefined,
          className: bad ? 'bad-edge' : undefined,
          style: { stroke: info ? PORT_COLORS[info.type] : '#94a3b8', strokeWidth: 2 },
          labelStyle: { fontSize: 10, fill: '#cbd5e1' },
          labelBgStyle: { fill: '#111827' },
        };
      }),
    [doc, analysis],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<GraphFlowNode>[]) => {
      const dims: Record<string, { width: number; height: number }> = {};
      let sel: string[] | undefined;
      const moves: Record<string, { x: number; y: number }> = {};
      const removed: string[] = [];
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) dims[c.id] = c.dimensions;
        else if (c.type === 'position' && c.position) moves[c.id] = c.position;
        else if (c.type === 'remove') removed.push(c.id);
        else if (c.type === 'select') {
          sel ??= [...store.get().selection];
          sel = c.selected ? [...new Set([...sel, c.id])] : sel.filter((id) => id !== c.id);
        }
      }
      if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
      if (sel) store.select(sel);
      if (Object.keys(moves).length || removed.length) {
        store.setDoc(
          produce(store.get().doc, (d) => {
            for (const [id, p] of Object.entries(moves))
              if (d.nodes[id]) d.nodes[id].position = { x: Math.round(p.x), y: Math.round(p.y) };
            for (const id of removed) {
              delete d.nodes[id];
              for (const [eid, e] of Object.entries(d.edges))
                if (e.source.node === id || e.target.node === id) delete d.edges[eid];
            }
          }),
        );
      }
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
      if (removed.length)
        store.setDoc(produce(store.get().doc, (d) => void removed.forEach((id) => delete d.edges[id])));
    },
    [store],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c) => {
      if (!c.sourceHandle || !c.targetHandle) return false;
      const { doc: d, analysis: a } = store.get();
      const r = canConnect(
        d,
        a,
        { node: c.source, port: c.sourceHandle },
        { node: c.target, port: c.targetHandle },
      );
      setRefusal(r.ok ? undefined : r.reason);
      return r.ok;
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      setRefusal(undefined);
      if (!c.sourceHandle || !c.targetHandle) return;
      store.setDoc(
        produce(store.get().doc, (d) => {
          d.edges[newEdgeId(d)] = {
            source: { node: c.source, port: c.sourceHandle! },
            target: { node: c.target, port: c.targetHandle! },
          };
        }),
      );
    },
    [store],
  );

  return (
    <div className="gg-canvas" data-testid="canvas">
      <ReactFlow<GraphFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={() => setTimeout(() => setRefusal(undefined), 2500)}
        isValidConnection={isValidConnection}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} size={1} color="#263041" />
        <Controls />
        <MiniMap pannable zoomable nodeColor={(n) => CATEGORY_COLORS[(n.data as GraphNodeData).category]} />
      </ReactFlow>
      {refusal && (
        <div className="gg-refusal" role="status" data-testid="wire-refusal">
          {refusal}
        </div>
      )}
    </div>
  );
}

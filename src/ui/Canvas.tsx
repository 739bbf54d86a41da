import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type {
  Connection,
  Edge,
  EdgeChange,
  IsValidConnection,
  Node,
  NodeChange,
  OnDelete,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { nodeName } from '../core/graph/analyze';
import { canConnect } from '../core/graph/connect';
import { formatShape } from '../core/shape';
import * as cmd from '../state/commands';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import type { GraphFlowNode, GraphNodeData } from './GraphNode';
import { GraphNode } from './GraphNode';
import type { GroupFrameData, GroupFrameNode } from './GroupFrame';
import { GroupFrame } from './GroupFrame';
import { KIND_MIME } from './Palette';
import type { PreviewState } from './WirePreview';
import { WirePreview } from './WirePreview';
import type { TensorData } from '../core/protocol';
import { CATEGORY_COLORS, PORT_COLORS } from './theme';
import { COLLAPSED, FIT_PADDING, MINIMAP, frameBox, frameId, nodeData } from './canvas-model';
import type { Size } from './canvas-model';

// Module scope, so React Flow does not see a new set of node types on every render.
const nodeTypes = { graph: GraphNode, frame: GroupFrame };

type FlowNode = GraphFlowNode | GroupFrameNode;
export interface CanvasProps {
  store: EditorStore;
  /** A dropped .json file: opened like File → Open. */
  onOpenFile(file: File): void;
  /** Nodes to light up (a phase's networks and losses, a term of an equation). */
  highlight?: ReadonlySet<string>;
  /** While a model is trained: the tensor flowing out of a port, for the hover preview of a wire. */
  readPort?: (ref: { node: string; port: string }) => Promise<TensorData>;
}

export function Canvas({ store, onOpenFile, highlight, readPort }: CanvasProps) {
  const doc = useEditor(store, (s) => s.doc);
  const analysis = useEditor(store, (s) => s.analysis);
  const selection = useEditor(store, (s) => s.selection);
  const problems = useEditor(store, (s) => s.problems);
  const flow = useReactFlow();
  const [measured, setMeasured] = useState<Record<string, Size>>({});
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [refusal, setRefusal] = useState<string>();
  const dragKey = useRef<string | undefined>(undefined);
  const [preview, setPreview] = useState<PreviewState>();
  const hovered = useRef<string | undefined>(undefined);

  const onEdgeMouseEnter = useCallback(
    (e: React.MouseEvent, edge: Edge) => {
      const wire = store.get().doc.edges[edge.id];
      const info = store.get().analysis.edgeInfo[edge.id];
      if (!readPort || !wire || !info || info.type === 'network' || info.type === 'schedule') return;
      hovered.current = edge.id;
      const title = `${nodeName(store.get().doc, wire.source.node)} · ${wire.source.port} ${formatShape(info.shape)}`;
      setPreview({ x: e.clientX, y: e.clientY, title });
      readPort(wire.source).then(
        (data) => hovered.current === edge.id && setPreview({ x: e.clientX, y: e.clientY, title, data }),
        (err: Error) =>
          hovered.current === edge.id &&
          setPreview({ x: e.clientX, y: e.clientY, title, error: err.message }),
      );
    },
    [store, readPort],
  );
  const onEdgeMouseLeave = useCallback(() => {
    hovered.current = undefined;
    setPreview(undefined);
  }, []);

  const groupActions = useMemo(
    () => ({
      onToggle: (gid: string) =>
        store.change('collapse group', (d) =>
          cmd.setGroup(d, gid, { collapsed: !store.get().doc.groups[gid]?.collapsed }),
        ),
      onUngroup: (gid: string) => store.change('ungroup', (d) => cmd.ungroup(d, gid)),
      onRename: (gid: string, label: string) =>
        store.change('rename group', (d) => cmd.setGroup(d, gid, { label })),
    }),
    [store],
  );

  // Which group hides each node (collapsed groups only).
  const hiddenIn = useMemo(() => {
    const m: Record<string, string> = {};
    for (const [gid, g] of Object.entries(doc.groups)) if (g.collapsed) for (const n of g.nodes) m[n] = gid;
    return m;
  }, [doc.groups]);

  const frames = useMemo(() => {
    const out: Record<string, { x: number; y: number; width: number; height: number }> = {};
    for (const [gid, g] of Object.entries(doc.groups)) {
      const box = frameBox(doc, g.nodes, measured);
      if (box) out[gid] = g.collapsed ? { x: box.x, y: box.y, ...COLLAPSED } : box;
    }
    return out;
  }, [doc, measured]);

  // Nodes are derived from the document; React Flow's measured sizes are kept beside it.
  const nodes = useMemo(() => {
    const list: FlowNode[] = [];
    for (const [gid, g] of Object.entries(doc.groups)) {
      const box = frames[gid];
      if (!box) continue;
      const data: GroupFrameData = {
        groupId: gid,
        label: g.label,
        collapsed: g.collapsed,
        count: g.nodes.length,
        ...groupActions,
      };
      list.push({
        id: frameId(gid),
        type: 'frame',
        position: { x: box.x, y: box.y },
        style: { width: box.width, height: box.height },
        width: box.width,
        height: box.height,
        data,
        zIndex: g.collapsed ? 0 : -1,
        selected: selection.includes(frameId(gid)),
      });
    }
    for (const [id, n] of Object.entries(doc.nodes)) {
      list.push({
        id,
        type: 'graph',
        position: n.position,
        data: nodeData(doc, analysis, problems, id),
        selected: selection.includes(id),
        measured: measured[id],
        hidden: Boolean(hiddenIn[id]),
        className: highlight?.has(id) ? 'gg-lit' : highlight && highlight.size ? 'gg-dim' : undefined,
      });
    }
    return list;
  }, [doc, analysis, problems, selection, measured, frames, hiddenIn, groupActions, highlight]);

  const edges: Edge[] = useMemo(
    () =>
      Object.entries(doc.edges).flatMap(([id, e]) => {
        const info = analysis.edgeInfo[id];
        const bad = analysis.diagnostics.some((d) => d.edge === id);
        const hs = hiddenIn[e.source.node];
        const ht = hiddenIn[e.target.node];
        if (hs && hs === ht) return []; // inside one collapsed group
        return [
          {
            id,
            source: hs ? frameId(hs) : e.source.node,
            sourceHandle: hs ? 'out' : e.source.port,
            target: ht ? frameId(ht) : e.target.node,
            targetHandle: ht ? 'in' : e.target.port,
            label: info ? formatShape(info.shape) : undefined,
            className: bad ? 'bad-edge' : undefined,
            selected: selectedEdges.has(id),
            style: { stroke: info ? PORT_COLORS[info.type] : '#94a3b8', strokeWidth: 2 },
            labelStyle: { fontSize: 10, fill: '#cbd5e1' },
            labelBgStyle: { fill: '#111827' },
            labelBgPadding: [3, 2] as [number, number],
          },
        ];
      }),
    [doc, analysis, hiddenIn, selectedEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const dims: Record<string, Size> = {};
      let sel: string[] | undefined;
      const moves: Record<string, { x: number; y: number }> = {};
      const d0 = store.get().doc;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions && !c.id.startsWith('group:')) dims[c.id] = c.dimensions;
        else if (c.type === 'position' && c.position) {
          if (c.id.startsWith('group:')) {
            // Dragging a frame moves its members.
            const gid = c.id.slice('group:'.length);
            const box = frames[gid];
            const g = d0.groups[gid];
            if (!box || !g) continue;
            const dx = c.position.x - box.x;
            const dy = c.position.y - box.y;
            for (const m of g.nodes) {
              const p = d0.nodes[m]?.position;
              if (p) moves[m] = { x: p.x + dx, y: p.y + dy };
            }
          } else moves[c.id] = c.position;
        } else if (c.type === 'select') {
          sel ??= [...store.get().selection];
          sel = c.selected ? [...new Set([...sel, c.id])] : sel.filter((id) => id !== c.id);
        }
      }
      if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
      if (sel) store.select(sel);
      if (Object.keys(moves).length)
        store.change('move', (d) => cmd.moveNodes(d, moves), { merge: dragKey.current ?? 'move' });
    },
    [store, frames],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const sel = changes.filter((c) => c.type === 'select');
    if (sel.length)
      setSelectedEdges((prev) => {
        const next = new Set(prev);
        for (const c of sel)
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        return next;
      });
  }, []);

  // Delete/Backspace: nodes and wires go together, as one undo step; a deleted frame ungroups.
  const onDelete: OnDelete<FlowNode> = useCallback(
    ({ nodes: ns, edges: es }) => {
      const groups = ns.filter((n) => n.type === 'frame').map((n) => n.id.slice('group:'.length));
      const ids = ns.filter((n) => n.type !== 'frame').map((n) => n.id);
      store.change('delete', (d) => {
        cmd.removeEdges(
          d,
          es.map((e) => e.id),
        );
        cmd.removeNodes(d, ids);
        for (const g of groups) cmd.ungroup(d, g);
      });
      setSelectedEdges(new Set());
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
      store.change('connect', (d) =>
        cmd.connect(d, { node: c.source, port: c.sourceHandle! }, { node: c.target, port: c.targetHandle! }),
      );
    },
    [store],
  );

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(KIND_MIME) || e.dataTransfer.types.includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (kind) {
        e.preventDefault();
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        const id = store.change('add node', (d) => cmd.addNode(d, kind, { x: p.x - 90, y: p.y - 30 }));
        store.select([id]);
        return;
      }
      const file = e.dataTransfer.files[0];
      if (file) {
        e.preventDefault();
        onOpenFile(file);
      }
    },
    [flow, store, onOpenFile],
  );

  return (
    <div className="gg-canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onEdgeMouseEnter={onEdgeMouseEnter}
        onEdgeMouseLeave={onEdgeMouseLeave}
        onNodeDragStart={() => (dragKey.current = store.gestureKey('drag'))}
        onNodeDragStop={() => {
          dragKey.current = undefined;
          store.breakMerge();
        }}
        onConnectEnd={() => setTimeout(() => setRefusal(undefined), 2500)}
        isValidConnection={isValidConnection}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        fitView
        fitViewOptions={FIT_PADDING}
        minZoom={0.15}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} size={1} color="#263041" />
        <Controls />
        <MiniMap
          style={MINIMAP}
          pannable
          zoomable
          nodeColor={(n: Node) =>
            n.type === 'frame'
              ? 'rgba(148,163,184,0.15)'
              : CATEGORY_COLORS[(n.data as GraphNodeData).category]
          }
        />
      </ReactFlow>
      {Object.keys(doc.nodes).length === 0 && (
        <div className="gg-empty" data-testid="empty-canvas">
          <h2>An empty canvas</h2>
          <p>
            Drag a node from the palette on the left, or click one to add it here. Wire an output (right) to
            an input (left); the shape of each tensor appears on its wire.
          </p>
          <p className="gg-muted">Or open a template to start from a model that works.</p>
        </div>
      )}
      {preview && <WirePreview p={preview} />}
      {refusal && (
        <div className="gg-refusal" role="status" data-testid="wire-refusal">
          {refusal}
        </div>
      )}
    </div>
  );
}

/**
 * Editing commands: pure recipes over an immer draft of the document. The store runs each one through
 * produceWithPatches, so every command is undoable and nothing else may change the document.
 */
import type { Draft } from 'immer';
import type { GraphDocument, GraphEdge, GraphNode, PortRef } from '../core/document/schema';
import { getKind } from '../core/kinds/registry';

type Doc = Draft<GraphDocument>;

/** A short, readable id for a new node of `kind`, unique in `taken`: 'encoder', 'encoder_2', … */
export function freshNodeId(kind: string, taken: Record<string, unknown>): string {
  const base =
    kind
      .split('.')
      .pop()!
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^(?=[^A-Za-z_])/, 'n') || 'node';
  if (!taken[base]) return base;
  for (let i = 2; ; i++) if (!taken[`${base}_${i}`]) return `${base}_${i}`;
}

export function freshEdgeId(taken: Record<string, unknown>): string {
  for (let i = Object.keys(taken).length + 1; ; i++) if (!taken[`w${i}`]) return `w${i}`;
}

export function addNode(d: Doc, kind: string, position: { x: number; y: number }, id?: string): string {
  const nid = id && !d.nodes[id] ? id : freshNodeId(kind, d.nodes);
  d.nodes[nid] = { kind, position: { x: Math.round(position.x), y: Math.round(position.y) }, params: {} };
  return nid;
}

/** Removes nodes with their wires and group memberships. Phases and outputs that name them stay, so
 *  the compiler can say what now points nowhere instead of the plan changing silently. */
export function removeNodes(d: Doc, ids: readonly string[]): void {
  const gone = new Set(ids.filter((id) => d.nodes[id]));
  for (const id of gone) delete d.nodes[id];
  for (const [eid, e] of Object.entries(d.edges))
    if (gone.has(e.source.node) || gone.has(e.target.node)) delete d.edges[eid];
  for (const [gid, g] of Object.entries(d.groups)) {
    g.nodes = g.nodes.filter((n) => !gone.has(n));
    if (g.nodes.length === 0) delete d.groups[gid];
  }
  for (const n of Object.values(d.nodes)) if (n.shares && gone.has(n.shares)) delete n.shares;
}

export function removeEdges(d: Doc, ids: readonly string[]): void {
  for (const id of ids) delete d.edges[id];
}

/** Wires source → target. An input takes one wire, so an existing wire into that port is replaced. */
export function connect(d: Doc, source: PortRef, target: PortRef): string {
  for (const [eid, e] of Object.entries(d.edges))
    if (e.target.node === target.node && e.target.port === target.port) delete d.edges[eid];
  const id = freshEdgeId(d.edges);
  d.edges[id] = { source: { ...source }, target: { ...target } };
  return id;
}

export function moveNodes(d: Doc, moves: Record<string, { x: number; y: number }>): void {
  for (const [id, p] of Object.entries(moves)) {
    const n = d.nodes[id];
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (n && (n.position.x !== x || n.position.y !== y)) n.position = { x, y };
  }
}

/** Sets one param; `undefined` removes it so the kind's default applies again. */
export function setParam(d: Doc, id: string, key: string, value: unknown): void {
  const n = d.nodes[id];
  if (!n) return;
  if (value === undefined) delete n.params[key];
  else if (JSON.stringify(n.params[key]) !== JSON.stringify(value)) n.params[key] = value as never;
}

export function setLabel(d: Doc, id: string, label: string): void {
  const n = d.nodes[id];
  if (!n) return;
  const t = label.trim();
  if (!t || t === getKind(n.kind)?.title) delete n.label;
  else n.label = t.slice(0, 80);
}

/** A piece of a graph on the clipboard: nodes and the wires between them. */
export interface Fragment {
  format: 'gengraph-fragment';
  nodes: Record<string, GraphNode>;
  edges: Record<string, GraphEdge>;
}

export function copyFragment(doc: GraphDocument, ids: readonly string[]): Fragment {
  const keep = new Set(ids.filter((id) => doc.nodes[id]));
  const nodes: Record<string, GraphNode> = {};
  for (const id of keep) nodes[id] = structuredClone(doc.nodes[id]!);
  const edges: Record<string, GraphEdge> = {};
  for (const [eid, e] of Object.entries(doc.edges))
    if (keep.has(e.source.node) && keep.has(e.target.node)) edges[eid] = structuredClone(e);
  return { format: 'gengraph-fragment', nodes, edges };
}

export function isFragment(x: unknown): x is Fragment {
  if (!x || typeof x !== 'object') return false;
  const f = x as Partial<Fragment>;
  return (
    f.format === 'gengraph-fragment' &&
    !!f.nodes &&
    typeof f.nodes === 'object' &&
    !!f.edges &&
    typeof f.edges === 'object' &&
    Object.values(f.nodes).every(
      (n) =>
        n &&
        typeof n.kind === 'string' &&
        typeof n.position?.x === 'number' &&
        typeof n.position?.y === 'number',
    ) &&
    Object.values(f.edges).every(
      (e) => e && typeof e.source?.node === 'string' && typeof e.target?.node === 'string',
    )
  );
}

/** Pastes a fragment with fresh ids, shifted by `offset`; returns the new node ids. */
export function pasteFragment(d: Doc, f: Fragment, offset: { x: number; y: number }): string[] {
  const map: Record<string, string> = {};
  for (const [id, n] of Object.entries(f.nodes)) {
    const nid = d.nodes[id] ? freshNodeId(n.kind, d.nodes) : id;
    map[id] = nid;
    d.nodes[nid] = {
      ...structuredClone(n),
      position: { x: Math.round(n.position.x + offset.x), y: Math.round(n.position.y + offset.y) },
    };
  }
  for (const id of Object.values(map)) {
    const n = d.nodes[id]!;
    // A copy keeps sharing weights only with an owner that exists.
    if (n.shares) n.shares = map[n.shares] ?? (d.nodes[n.shares] ? n.shares : undefined);
    if (n.shares === undefined) delete n.shares;
  }
  for (const e of Object.values(f.edges)) {
    const s = map[e.source.node];
    const t = map[e.target.node];
    if (s && t) connect(d, { node: s, port: e.source.port }, { node: t, port: e.target.port });
  }
  return Object.values(map);
}

export function freshGroupId(taken: Record<string, unknown>): string {
  for (let i = 1; ; i++) if (!taken[`g${i}`]) return `g${i}`;
}

/** Groups nodes into a named frame; a node belongs to at most one group. */
export function group(d: Doc, ids: readonly string[], label: string): string | undefined {
  const members = ids.filter((id) => d.nodes[id]);
  if (members.length === 0) return undefined;
  for (const [gid, g] of Object.entries(d.groups)) {
    g.nodes = g.nodes.filter((n) => !members.includes(n));
    if (g.nodes.length === 0) delete d.groups[gid];
  }
  const gid = freshGroupId(d.groups);
  d.groups[gid] = { label: label.trim().slice(0, 80) || 'Group', nodes: members, collapsed: false };
  return gid;
}

export function ungroup(d: Doc, gid: string): void {
  delete d.groups[gid];
}

export function setGroup(d: Doc, gid: string, patch: { label?: string; collapsed?: boolean }): void {
  const g = d.groups[gid];
  if (!g) return;
  if (patch.label !== undefined && patch.label.trim()) g.label = patch.label.trim().slice(0, 80);
  if (patch.collapsed !== undefined) g.collapsed = patch.collapsed;
}

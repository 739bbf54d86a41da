import type { Diagnostic } from '../diagnostics';
import type { GraphDocument } from '../document/schema';
import { getKind } from '../kinds/registry';
import type { AnyKind, Inputs, PortSpec } from '../kinds/types';
import { ShapeError, formatShape } from '../shape';
import type { TensorInfo } from '../shape';

export interface NodeInfo {
  id: string;
  kind?: AnyKind;
  /** Params with defaults filled in (the owner's, for a node that shares weights). */
  params?: Record<string, unknown>;
  /** The node whose variables this node uses: itself, or the node named in `shares`. */
  owner: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  inputInfo: Inputs;
  outputInfo: Record<string, TensorInfo>;
  /** True when its outputs are known: the kind exists, params are valid and shapes inferred. */
  ok: boolean;
}

export interface Analysis {
  nodes: Record<string, NodeInfo>;
  /** Topological order of the nodes outside cycles. */
  order: string[];
  /** Edges that point at real ports, by target "node:port". */
  incoming: Record<string, { edge: string; source: { node: string; port: string } }>;
  edgeInfo: Record<string, TensorInfo | undefined>;
  diagnostics: Diagnostic[];
}

export function nodeName(doc: GraphDocument, id: string): string {
  const n = doc.nodes[id];
  return n?.label ?? (n && getKind(n.kind)?.title) ?? id;
}

function paramDiagnostics(id: string, kind: AnyKind, raw: Record<string, unknown>): Diagnostic[] {
  const r = kind.params.safeParse(raw);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const key = i.path.map(String).join('.');
    const field = `nodes.${id}.params${key ? `.${key}` : ''}`;
    const what = key ? `parameter '${key}'` : 'parameters';
    return {
      severity: 'error' as const,
      code: 'invalid-param',
      node: id,
      field,
      message: `${what}: ${i.message}`,
    };
  });
}

export function resolveNode(doc: GraphDocument, id: string, ds: Diagnostic[]): NodeInfo {
  const node = doc.nodes[id]!;
  const info: NodeInfo = { id, owner: id, inputs: [], outputs: [], inputInfo: {}, outputInfo: {}, ok: false };
  const kind = getKind(node.kind);
  if (!kind) {
    ds.push({
      severity: 'error',
      code: 'unknown-kind',
      node: id,
      field: `nodes.${id}.kind`,
      message: `unknown node kind '${node.kind}'`,
    });
    return info;
  }
  info.kind = kind;
  let raw = node.params;
  if (node.shares !== undefined) {
    const owner = doc.nodes[node.shares];
    const problem = !owner
      ? `shares weights with '${node.shares}', which does not exist`
      : owner.kind !== node.kind
        ? `shares weights with '${node.shares}', a ${getKind(owner.kind)?.title ?? owner.kind}, not a ${kind.title}`
        : !kind.trainable
          ? `only networks can share weights`
          : owner.shares !== undefined
            ? `shares weights with '${node.shares}', which itself shares with '${owner.shares}': point at the owner`
            : undefined;
    if (problem) {
      ds.push({
        severity: 'error',
        code: 'bad-share',
        node: id,
        field: `nodes.${id}.shares`,
        message: problem,
      });
      return info;
    }
    info.owner = node.shares;
    raw = owner!.params;
  }
  const pd = paramDiagnostics(info.owner, kind, raw);
  if (pd.length) {
    if (info.owner === id) ds.push(...pd);
    return info;
  }
  info.params = kind.params.parse(raw) as Record<string, unknown>;
  try {
    info.inputs = kind.inputs(info.params);
    info.outputs = kind.outputs(info.params);
  } catch (e) {
    ds.push({
      severity: 'error',
      code: 'internal',
      node: id,
      message: `cannot list ports: ${(e as Error).message}`,
    });
  }
  return info;
}

/** Reference checks, cycles and shape inference over the whole graph. Pure and total: never throws. */
export function analyze(doc: GraphDocument): Analysis {
  const ds: Diagnostic[] = [];
  const nodes: Record<string, NodeInfo> = {};
  for (const id of Object.keys(doc.nodes)) nodes[id] = resolveNode(doc, id, ds);

  const incoming: Analysis['incoming'] = {};
  const succ: Record<string, Set<string>> = {};
  for (const id of Object.keys(doc.nodes)) succ[id] = new Set();
  for (const [eid, e] of Object.entries(doc.edges)) {
    const s = nodes[e.source.node];
    const t = nodes[e.target.node];
    const bad = (message: string, node?: string, port?: string) =>
      ds.push({
        severity: 'error',
        code: 'dangling-wire',
        edge: eid,
        field: `edges.${eid}`,
        message,
        ...(node ? { node } : {}),
        ...(port ? { port } : {}),
      });
    if (!s) {
      bad(`wire '${eid}' starts at '${e.source.node}', which does not exist`);
      continue;
    }
    if (!t) {
      bad(`wire '${eid}' ends at '${e.target.node}', which does not exist`);
      continue;
    }
    if (s.kind && !s.outputs.some((p) => p.name === e.source.port)) {
      bad(`${nodeName(doc, s.id)} has no output '${e.source.port}'`, s.id, e.source.port);
      continue;
    }
    if (t.kind && !t.inputs.some((p) => p.name === e.target.port)) {
      bad(`${nodeName(doc, t.id)} has no input '${e.target.port}'`, t.id, e.target.port);
      continue;
    }
    const key = `${t.id}:${e.target.port}`;
    if (incoming[key]) {
      ds.push({
        severity: 'error',
        code: 'duplicate-input',
        node: t.id,
        port: e.target.port,
        edge: eid,
        message: `input '${e.target.port}' has more than one wire; keep one`,
      });
      continue;
    }
    incoming[key] = { edge: eid, source: e.source };
    succ[s.id]!.add(t.id);
  }

  const order = topoOrder(Object.keys(doc.nodes), succ);
  const inOrder = new Set(order);
  // Nodes left over by the sort are on a cycle or downstream of one; only the former are reported.
  const left = Object.keys(doc.nodes).filter((id) => !inOrder.has(id));
  const cyclic = left.filter((id) => reachesItself(id, succ));
  for (const id of cyclic) {
    ds.push({
      severity: 'error',
      code: 'cycle',
      node: id,
      message: `${nodeName(doc, id)} is part of a cycle: a value would depend on itself`,
    });
  }

  const edgeInfo: Record<string, TensorInfo | undefined> = {};
  for (const id of order) inferNode(doc, nodes, id, incoming, edgeInfo, ds);
  checkShares(doc, nodes, ds);
  return { nodes, order, incoming, edgeInfo, diagnostics: ds };
}

function reachesItself(start: string, succ: Record<string, Set<string>>): boolean {
  const seen = new Set<string>();
  const stack = [...succ[start]!];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === start) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...succ[id]!);
  }
  return false;
}

function topoOrder(ids: string[], succ: Record<string, Set<string>>): string[] {
  const indeg: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const id of ids) for (const t of succ[id]!) indeg[t]!++;
  const queue = ids.filter((id) => indeg[id] === 0);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const t of succ[id]!) if (--indeg[t]! === 0) queue.push(t);
  }
  return order;
}

export function accepts(port: PortSpec, type: TensorInfo['type']): boolean {
  return (port.accepts ?? [port.type]).includes(type);
}

function inferNode(
  doc: GraphDocument,
  nodes: Record<string, NodeInfo>,
  id: string,
  incoming: Analysis['incoming'],
  edgeInfo: Analysis['edgeInfo'],
  ds: Diagnostic[],
): void {
  const n = nodes[id]!;
  if (!n.kind || !n.params) return;
  let blocked = false;
  let errors = false;
  for (const port of n.inputs) {
    const wire = incoming[`${id}:${port.name}`];
    if (!wire) {
      if (!port.optional) {
        ds.push({
          severity: 'error',
          code: 'missing-input',
          node: id,
          port: port.name,
          message: `input '${port.name}' is not connected`,
        });
        errors = true;
      }
      continue;
    }
    const src = nodes[wire.source.node]!;
    const info = src.ok ? src.outputInfo[wire.source.port] : undefined;
    edgeInfo[wire.edge] = info;
    if (!info) {
      blocked = true;
      continue;
    }
    if (!accepts(port, info.type)) {
      const want = (port.accepts ?? [port.type]).join(' or ');
      ds.push({
        severity: 'error',
        code: 'type-mismatch',
        node: id,
        port: port.name,
        edge: wire.edge,
        message: `input '${port.name}' expects ${want}, but ${nodeName(doc, src.id)}'s '${wire.source.port}' is ${info.type}`,
      });
      errors = true;
      continue;
    }
    n.inputInfo[port.name] = info;
  }
  if (blocked || errors) return;
  try {
    const out = n.kind.infer(n.params, n.inputInfo);
    n.outputInfo = Object.fromEntries(
      Object.entries(out).filter((e): e is [string, TensorInfo] => e[1] !== undefined),
    );
    n.ok = true;
  } catch (e) {
    const port = e instanceof ShapeError ? e.port : undefined;
    ds.push({
      severity: 'error',
      code: e instanceof ShapeError ? 'shape' : 'internal',
      node: id,
      ...(port ? { port } : {}),
      message: e instanceof Error ? e.message : String(e),
    });
  }
}

/** A node that reuses another's weights must see inputs of the same shapes. */
function checkShares(doc: GraphDocument, nodes: Record<string, NodeInfo>, ds: Diagnostic[]): void {
  for (const n of Object.values(nodes)) {
    if (n.owner === n.id || !n.ok) continue;
    const o = nodes[n.owner]!;
    if (!o.ok) continue;
    for (const [port, info] of Object.entries(n.inputInfo)) {
      const oi = o.inputInfo[port];
      if (info && oi && formatShape(info.shape) !== formatShape(oi.shape)) {
        ds.push({
          severity: 'error',
          code: 'shape',
          node: n.id,
          port,
          message: `shares weights with ${nodeName(doc, o.id)}, whose '${port}' is ${formatShape(oi.shape)}, but here it is ${formatShape(info.shape)}`,
        });
      }
    }
  }
}

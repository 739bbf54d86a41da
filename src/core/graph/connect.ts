import type { GraphDocument, PortRef } from '../document/schema';
import { ShapeError } from '../shape';
import type { Analysis } from './analyze';
import { accepts, nodeName } from './analyze';

export type ConnectResult = { ok: true } | { ok: false; reason: string };

const no = (reason: string): ConnectResult => ({ ok: false, reason });

/** Whether a wire from an output to an input may be drawn, with the reason when it may not. */
export function canConnect(doc: GraphDocument, a: Analysis, source: PortRef, target: PortRef): ConnectResult {
  const s = a.nodes[source.node];
  const t = a.nodes[target.node];
  if (!s || !t) return no('that node no longer exists');
  const sName = nodeName(doc, s.id);
  const tName = nodeName(doc, t.id);
  const out = s.outputs.find((p) => p.name === source.port);
  const inp = t.inputs.find((p) => p.name === target.port);
  if (!out) {
    return s.inputs.some((p) => p.name === source.port)
      ? no(`wires run from an output to an input; '${source.port}' is an input of ${sName}`)
      : no(`${sName} has no output '${source.port}'`);
  }
  if (!inp) {
    return t.outputs.some((p) => p.name === target.port)
      ? no(`'${target.port}' is an output of ${tName}; connect it to an input`)
      : no(`${tName} has no input '${target.port}'`);
  }
  if (s.id === t.id) return no(`${sName} cannot feed its own input`);
  const type = s.outputInfo[out.name]?.type ?? out.type;
  if (!accepts(inp, type)) {
    const want = (inp.accepts ?? [inp.type]).join(' or ');
    return no(`${tName}'s '${inp.name}' takes ${want}; ${sName}'s '${out.name}' is ${type}`);
  }
  const existing = a.incoming[`${t.id}:${inp.name}`];
  if (existing) {
    const from = existing.source;
    if (from.node === s.id && from.port === out.name) return no('these ports are already connected');
    return no(
      `${tName}'s '${inp.name}' already has a wire from ${nodeName(doc, from.node)}; remove it first`,
    );
  }
  if (reaches(doc, t.id, s.id))
    return no(`this wire would make a cycle: ${sName} already depends on ${tName}`);
  const info = s.outputInfo[out.name];
  if (info && t.kind && t.params) {
    try {
      t.kind.infer(t.params, { ...t.inputInfo, [inp.name]: info });
    } catch (e) {
      if (e instanceof ShapeError && (e.port === inp.name || e.port === undefined)) return no(e.message);
    }
  }
  return { ok: true };
}

function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const next: Record<string, string[]> = {};
  for (const e of Object.values(doc.edges)) (next[e.source.node] ??= []).push(e.target.node);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next[id] ?? []));
  }
  return false;
}

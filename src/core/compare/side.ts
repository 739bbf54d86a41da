import type { GraphDocument } from '../document/schema';
import { getKind } from '../kinds/registry';
import type { Category } from '../kinds/types';

/** One graph, indexed for matching and for the summary. */
export interface Side {
  doc: GraphDocument;
  ids: string[];
  edges: EdgeRec[];
  inE: Map<string, EdgeRec[]>;
  outE: Map<string, EdgeRec[]>;
  params: Map<string, Record<string, unknown>>;
}

export interface EdgeRec {
  id: string;
  s: string;
  sp: string;
  t: string;
  tp: string;
}

export function kindOf(side: Side, id: string): string {
  return side.doc.nodes[id]?.kind ?? '';
}

export function categoryOf(side: Side, id: string): Category | undefined {
  return getKind(kindOf(side, id))?.category;
}

/** The node whose weights this node uses: the one named in `shares`, or itself. */
export function ownerOf(side: Side, id: string): string {
  const s = side.doc.nodes[id]?.shares;
  return s !== undefined && side.doc.nodes[s] ? s : id;
}

export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** A node's own params with defaults filled in; the raw params where they do not validate. */
function filledParams(doc: GraphDocument, id: string): Record<string, unknown> {
  const node = doc.nodes[id]!;
  const kind = getKind(node.kind);
  const r = kind?.params.safeParse(node.params ?? {});
  return r?.success ? (r.data as Record<string, unknown>) : { ...(node.params ?? {}) };
}

export function indexSide(doc: GraphDocument): Side {
  const ids = Object.keys(doc.nodes);
  const inE = new Map<string, EdgeRec[]>(ids.map((id) => [id, []]));
  const outE = new Map<string, EdgeRec[]>(ids.map((id) => [id, []]));
  const edges: EdgeRec[] = [];
  for (const [id, e] of Object.entries(doc.edges ?? {})) {
    const r: EdgeRec = { id, s: e.source.node, sp: e.source.port, t: e.target.node, tp: e.target.port };
    edges.push(r);
    outE.get(r.s)?.push(r);
    inE.get(r.t)?.push(r);
  }
  const params = new Map(ids.map((id) => [id, filledParams(doc, id)]));
  return { doc, ids, edges, inE, outE, params };
}

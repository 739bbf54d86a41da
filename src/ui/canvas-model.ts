import type { Analysis } from '../core/graph/analyze';
import type { Diagnostic } from '../core/diagnostics';
import { nodeName } from '../core/graph/analyze';
import type { GraphDocument } from '../core/document/schema';
import { formatShape } from '../core/shape';
import type { GraphNodeData } from './GraphNode';

/** What the canvas draws for the document: each node's card data and each group's frame. */

export type Size = { width: number; height: number };

const FRAME_PAD = 22;
const FRAME_HEAD = 30;
export const COLLAPSED: Size = { width: 220, height: 44 };
const FALLBACK: Size = { width: 200, height: 100 };

/** The minimap in the canvas's bottom-right corner, and the margin fitting the view keeps clear of it. */
export const MINIMAP: Size = { width: 150, height: 100 };
export const FIT_PADDING = {
  padding: { top: '32px', left: '60px', bottom: '32px', right: `${MINIMAP.width + 30}px` },
} as const;

export const frameId = (gid: string) => `group:${gid}`;

export function nodeData(
  doc: GraphDocument,
  a: Analysis,
  diagnostics: Diagnostic[],
  id: string,
): GraphNodeData {
  const info = a.nodes[id]!;
  const node = doc.nodes[id]!;
  const problems = diagnostics
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

/** The frame around a group's members, from their positions and measured sizes. */
export function frameBox(doc: GraphDocument, members: string[], sizes: Record<string, Size>) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const id of members) {
    const n = doc.nodes[id];
    if (!n) continue;
    const s = sizes[id] ?? FALLBACK;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + s.width);
    y1 = Math.max(y1, n.position.y + s.height);
  }
  if (!Number.isFinite(x0)) return undefined;
  return {
    x: x0 - FRAME_PAD,
    y: y0 - FRAME_PAD - FRAME_HEAD,
    width: x1 - x0 + 2 * FRAME_PAD,
    height: y1 - y0 + 2 * FRAME_PAD + FRAME_HEAD,
  };
}

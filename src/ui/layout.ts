import dagre from '@dagrejs/dagre';
import type { GraphDocument } from '../core/document/schema';

const DEFAULT_SIZE = { width: 210, height: 110 };

/**
 * Left-to-right layered layout (dagre): data flows from sources to losses, and a group's members are
 * kept together as one compound cluster.
 */
export function layoutPositions(
  doc: GraphDocument,
  sizes: Record<string, { width: number; height: number } | undefined>,
): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of Object.keys(doc.nodes)) g.setNode(id, { ...(sizes[id] ?? DEFAULT_SIZE) });
  for (const [gid, grp] of Object.entries(doc.groups)) {
    const cluster = `group:${gid}`;
    g.setNode(cluster, {});
    for (const n of grp.nodes) if (doc.nodes[n]) g.setParent(n, cluster);
  }
  for (const [eid, e] of Object.entries(doc.edges))
    if (doc.nodes[e.source.node] && doc.nodes[e.target.node])
      g.setEdge(e.source.node, e.target.node, {}, eid);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const id of Object.keys(doc.nodes)) {
    const n = g.node(id);
    const s = sizes[id] ?? DEFAULT_SIZE;
    // dagre gives centres; React Flow positions are top-left corners.
    out[id] = { x: Math.round(n.x - s.width / 2), y: Math.round(n.y - s.height / 2) };
  }
  return out;
}

/** A node's size as the canvas draws it, estimated from its text (for layout outside the browser). */
export function estimateNodeSize(
  title: string,
  inputs: string[],
  outputs: string[],
): { width: number; height: number } {
  const rows = Math.max(inputs.length, outputs.length, 1);
  const inW = Math.max(0, ...inputs.map((s) => s.length * 7));
  const outW = Math.max(0, ...outputs.map((s) => s.length * 7));
  const width = Math.max(190, title.length * 8.5 + 40, inW + outW + 48);
  return { width: Math.round(width), height: 58 + rows * 21 };
}

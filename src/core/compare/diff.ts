import type { GraphDocument, Phase } from '../document/schema';
import type { EdgeRec, Side } from './side';
import { categoryOf, indexSide, kindOf, ownerOf, stable } from './side';
import { summarize } from './summary';

/**
 * A structural diff between two graphs, computed from the graphs alone so that it works on any pair:
 * two templates (VAE vs AAE) or a template and a user's edit of it. Nodes are matched by role, not
 * only by id: first same id and kind, then the remaining nodes of each kind by where they sit in the
 * graph (the kinds and ports of their neighbours, neighbours already matched, shared weights, params).
 */
export type NodeStatusA = 'same' | 'changed' | 'removed';
export type NodeStatusB = 'same' | 'changed' | 'added';

export interface PhaseChange {
  /** Phase id in A (absent for an added phase). */
  a?: string;
  /** Phase id in B (absent for a removed phase). */
  b?: string;
  status: 'same' | 'changed' | 'added' | 'removed';
  /** Loss and network ids in B that this phase uses and A's counterpart does not (all of them when added). */
  lossesAdded: string[];
  trainsAdded: string[];
  /** Loss and network ids in A that the counterpart in B no longer uses (all of them when removed). */
  lossesRemoved: string[];
  trainsRemoved: string[];
  /** Other settings that differ: 'steps', 'ema', 'optimizer.lr', 'optimizer.type', … */
  settings: string[];
}

/** A removed group of A nodes whose role a group of added B nodes takes over. */
export interface Replacement {
  /** loss: a loss replaced by a network (and the losses that train it) or by another loss;
   *  role: a node swapped for one of the same category in the same place;
   *  bypass: a node removed from between two matched nodes, which B wires together directly;
   *  insert: the reverse, a node added between two matched nodes that A wires directly. */
  why: 'loss' | 'role' | 'bypass' | 'insert';
  a: string[];
  b: string[];
}

export interface GraphDiff {
  nodes: {
    a: Record<string, NodeStatusA>;
    b: Record<string, NodeStatusB>;
    /** Matched nodes [A id, B id]: each is 'same' or 'changed' on both sides. */
    pairs: Array<[string, string]>;
    /** For each changed B node, the keys that differ: param keys (defaults filled in), or 'shares'. */
    changes: Record<string, string[]>;
  };
  edges: {
    a: Record<string, 'same' | 'removed'>;
    b: Record<string, 'same' | 'added'>;
    pairs: Array<[string, string]>;
  };
  phases: {
    a: Record<string, 'same' | 'changed' | 'removed'>;
    b: Record<string, 'same' | 'changed' | 'added'>;
    pairs: Array<[string, string]>;
    /** Every phase of A and B once: pairs first (in B's order), then added, then removed. */
    list: PhaseChange[];
  };
  /** Training settings (batchSize, iterations, seed, logEvery) that differ. */
  training: string[];
  replacements: Replacement[];
  /** Plain sentences, generated from the diff. */
  summary: string[];
}

export interface DiffOptions {
  /** How the summary names each graph; defaults to the titles ('the first graph' / 'the second graph'
   *  when they are equal). */
  nameA?: string;
  nameB?: string;
}

/** Label-free tokens describing where a node sits: its neighbours' kinds, categories and ports. */
function structureTokens(side: Side, id: string): Set<string> {
  const t = new Set<string>();
  for (const e of side.inE.get(id) ?? []) {
    t.add(`i:${e.tp}:${kindOf(side, e.s)}.${e.sp}`);
    t.add(`ic:${e.tp}:${categoryOf(side, e.s) ?? '?'}`);
  }
  for (const e of side.outE.get(id) ?? []) {
    t.add(`o:${e.sp}:${kindOf(side, e.t)}.${e.tp}`);
    t.add(`oc:${e.sp}:${categoryOf(side, e.t) ?? '?'}`);
  }
  if (ownerOf(side, id) !== id) t.add('shares');
  if (side.ids.some((o) => o !== id && ownerOf(side, o) === id)) t.add('shared');
  for (const p of side.doc.training.phases) {
    if (p.trains.includes(id)) t.add('trained');
    if (p.losses.includes(id)) t.add('in-phase');
  }
  return t;
}

function paramTokens(side: Side, id: string): Set<string> {
  const p = side.params.get(id) ?? {};
  return new Set(Object.keys(p).map((k) => `${k}=${stable(p[k])}`));
}

function jaccard(x: Set<string>, y: Set<string>): number {
  if (x.size === 0 && y.size === 0) return 1;
  let both = 0;
  for (const v of x) if (y.has(v)) both++;
  return both / (x.size + y.size - both);
}

/** Evidence from neighbours already matched: the same wire (both ports) counts 1, the same neighbour 0.5. */
function anchorScore(A: Side, B: Side, a: string, b: string, ab: Map<string, string>): number {
  let score = 0;
  const side = (ea: EdgeRec[], eb: EdgeRec[], far: (e: EdgeRec) => string) => {
    for (const e of ea) {
      const n = ab.get(far(e));
      if (n === undefined) continue;
      const near = eb.filter((f) => far(f) === n);
      if (near.some((f) => f.sp === e.sp && f.tp === e.tp)) score += 1;
      else if (near.length) score += 0.5;
    }
  };
  side(A.inE.get(a) ?? [], B.inE.get(b) ?? [], (e) => e.s);
  side(A.outE.get(a) ?? [], B.outE.get(b) ?? [], (e) => e.t);
  const oa = ownerOf(A, a);
  const ob = ownerOf(B, b);
  if (oa !== a && ob !== b && ab.get(oa) === ob) score += 1;
  if (oa === a && ob === b) {
    for (const s of A.ids) {
      if (s === a || ownerOf(A, s) !== a) continue;
      const m = ab.get(s);
      if (m !== undefined && ownerOf(B, m) === b) score += 1;
    }
  }
  return score;
}

/** Matches nodes of A to nodes of B, returning A id → B id. */
export function matchNodes(A: Side, B: Side): Map<string, string> {
  const ab = new Map<string, string>();
  const usedB = new Set<string>();
  for (const id of A.ids) {
    if (B.doc.nodes[id] && kindOf(B, id) === kindOf(A, id)) {
      ab.set(id, id);
      usedB.add(id);
    }
  }
  const tokA = new Map(A.ids.map((id) => [id, structureTokens(A, id)]));
  const tokB = new Map(B.ids.map((id) => [id, structureTokens(B, id)]));
  const parA = new Map(A.ids.map((id) => [id, paramTokens(A, id)]));
  const parB = new Map(B.ids.map((id) => [id, paramTokens(B, id)]));
  for (;;) {
    let best: [string, string] | undefined;
    let bestScore = -Infinity;
    for (const a of A.ids) {
      if (ab.has(a)) continue;
      for (const b of B.ids) {
        if (usedB.has(b) || kindOf(A, a) !== kindOf(B, b)) continue;
        const la = A.doc.nodes[a]!.label;
        const score =
          10 * anchorScore(A, B, a, b, ab) +
          3 * jaccard(tokA.get(a)!, tokB.get(b)!) +
          jaccard(parA.get(a)!, parB.get(b)!) +
          (la !== undefined && la === B.doc.nodes[b]!.label ? 2 : 0) +
          ((ownerOf(A, a) === a) === (ownerOf(B, b) === b) ? 1 : 0);
        if (score > bestScore) {
          bestScore = score;
          best = [a, b];
        }
      }
    }
    if (!best) return ab;
    ab.set(best[0], best[1]);
    usedB.add(best[1]);
  }
}

/** Keys that differ between two matched nodes: params with defaults filled in, and weight sharing. */
function nodeChanges(A: Side, B: Side, a: string, b: string, ab: Map<string, string>): string[] {
  const keys: string[] = [];
  const sa = ownerOf(A, a) !== a;
  const sb = ownerOf(B, b) !== b;
  if (sa !== sb || (sa && ab.get(ownerOf(A, a)) !== ownerOf(B, b))) keys.push('shares');
  // A node that shares weights takes its owner's settings: its own params are not used.
  if (sa && sb) return keys;
  const pa = A.params.get(a) ?? {};
  const pb = B.params.get(b) ?? {};
  const all = [...Object.keys(pb), ...Object.keys(pa).filter((k) => !(k in pb))];
  for (const k of all) if (stable(pa[k]) !== stable(pb[k])) keys.push(k);
  return keys;
}

function mapped(ids: readonly string[], m: Map<string, string>): Set<string> {
  return new Set(ids.flatMap((id) => (m.has(id) ? [m.get(id)!] : [])));
}

function phaseSettings(pa: Phase, pb: Phase): string[] {
  const out: string[] = [];
  if (pa.steps !== pb.steps) out.push('steps');
  if (pa.ema !== pb.ema) out.push('ema');
  const oa = pa.optimizer as Record<string, unknown>;
  const ob = pb.optimizer as Record<string, unknown>;
  const keys = [...Object.keys(ob), ...Object.keys(oa).filter((k) => !(k in ob))];
  for (const k of keys) if (stable(oa[k]) !== stable(ob[k])) out.push(`optimizer.${k}`);
  return out;
}

function diffPhases(A: Side, B: Side, ab: Map<string, string>): GraphDiff['phases'] {
  const pa = A.doc.training.phases;
  const pb = B.doc.training.phases;
  const pairs: Array<[number, number]> = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  for (;;) {
    let best: [number, number] | undefined;
    let bestScore = 0;
    pa.forEach((p, i) => {
      if (usedA.has(i)) return;
      const trains = mapped(p.trains, ab);
      const losses = mapped(p.losses, ab);
      pb.forEach((q, j) => {
        if (usedB.has(j)) return;
        const score =
          (p.id === q.id ? 5 : 0) +
          2 * q.trains.filter((t) => trains.has(t)).length +
          q.losses.filter((l) => losses.has(l)).length;
        if (score > bestScore) {
          bestScore = score;
          best = [i, j];
        }
      });
    });
    if (!best) break;
    pairs.push(best);
    usedA.add(best[0]);
    usedB.add(best[1]);
  }
  pairs.sort((x, y) => x[1] - y[1]);
  const out: GraphDiff['phases'] = { a: {}, b: {}, pairs: [], list: [] };
  for (const [i, j] of pairs) {
    const p = pa[i]!;
    const q = pb[j]!;
    const trains = mapped(p.trains, ab);
    const losses = mapped(p.losses, ab);
    const qTrains = new Set(q.trains);
    const qLosses = new Set(q.losses);
    const c: PhaseChange = {
      a: p.id,
      b: q.id,
      status: 'same',
      trainsAdded: q.trains.filter((t) => !trains.has(t)),
      lossesAdded: q.losses.filter((l) => !losses.has(l)),
      trainsRemoved: p.trains.filter((t) => !qTrains.has(ab.get(t) ?? '')),
      lossesRemoved: p.losses.filter((l) => !qLosses.has(ab.get(l) ?? '')),
      settings: phaseSettings(p, q),
    };
    const changed =
      c.trainsAdded.length + c.lossesAdded.length + c.trainsRemoved.length + c.lossesRemoved.length > 0 ||
      c.settings.length > 0;
    c.status = changed ? 'changed' : 'same';
    out.a[p.id] = c.status as 'same' | 'changed';
    out.b[q.id] = c.status as 'same' | 'changed';
    out.pairs.push([p.id, q.id]);
    out.list.push(c);
  }
  pb.forEach((q, j) => {
    if (usedB.has(j)) return;
    out.b[q.id] = 'added';
    const c = { b: q.id, status: 'added' as const, trainsRemoved: [], lossesRemoved: [], settings: [] };
    out.list.push({ ...c, trainsAdded: [...q.trains], lossesAdded: [...q.losses] });
  });
  pa.forEach((p, i) => {
    if (usedA.has(i)) return;
    out.a[p.id] = 'removed';
    const c = { a: p.id, status: 'removed' as const, trainsAdded: [], lossesAdded: [], settings: [] };
    out.list.push({ ...c, trainsRemoved: [...p.trains], lossesRemoved: [...p.losses] });
  });
  return out;
}

const TRAINING_KEYS = ['batchSize', 'iterations', 'seed', 'logEvery'] as const;

/** Everything that differs between A and B, with a plain-English summary. Pure; never throws on
 *  documents that passed the schema (unknown kinds and invalid params are compared as raw values). */
export function diffGraphs(a: GraphDocument, b: GraphDocument, opts: DiffOptions = {}): GraphDiff {
  const A = indexSide(a);
  const B = indexSide(b);
  const ab = matchNodes(A, B);
  const ba = new Map([...ab].map(([x, y]) => [y, x]));

  const nodes: GraphDiff['nodes'] = { a: {}, b: {}, pairs: [], changes: {} };
  for (const id of A.ids) if (!ab.has(id)) nodes.a[id] = 'removed';
  for (const id of B.ids) {
    const x = ba.get(id);
    if (x === undefined) {
      nodes.b[id] = 'added';
      continue;
    }
    const keys = nodeChanges(A, B, x, id, ab);
    const status = keys.length ? 'changed' : 'same';
    nodes.a[x] = status;
    nodes.b[id] = status;
    nodes.pairs.push([x, id]);
    if (keys.length) nodes.changes[id] = keys;
  }
  // Keep A's record in A's node order.
  nodes.a = Object.fromEntries(A.ids.map((id) => [id, nodes.a[id]!]));

  const edges: GraphDiff['edges'] = { a: {}, b: {}, pairs: [] };
  const bByKey = new Map<string, string>();
  for (const e of B.edges) bByKey.set(`${e.s}.${e.sp}>${e.t}.${e.tp}`, e.id);
  const usedEdges = new Set<string>();
  for (const e of A.edges) {
    const s = ab.get(e.s);
    const t = ab.get(e.t);
    const match = s !== undefined && t !== undefined ? bByKey.get(`${s}.${e.sp}>${t}.${e.tp}`) : undefined;
    if (match !== undefined && !usedEdges.has(match)) {
      usedEdges.add(match);
      edges.a[e.id] = 'same';
      edges.pairs.push([e.id, match]);
    } else edges.a[e.id] = 'removed';
  }
  for (const e of B.edges) edges.b[e.id] = usedEdges.has(e.id) ? 'same' : 'added';

  const phases = diffPhases(A, B, ab);
  const training = TRAINING_KEYS.filter((k) => a.training[k] !== b.training[k]);

  const diff: GraphDiff = { nodes, edges, phases, training, replacements: [], summary: [] };
  const { replacements, summary } = summarize(A, B, ab, diff, opts);
  diff.replacements = replacements;
  diff.summary = summary;
  return diff;
}

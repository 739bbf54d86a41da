import { compile } from '../compiler/compile';
import type { GraphDocument } from '../document/schema';
import { nodeName } from '../graph/analyze';
import { getKind } from '../kinds/registry';
import { num } from './tex';

export interface PhaseSummary {
  id: string;
  label: string;
  /** Steps of this phase per training iteration. */
  steps: number;
  /** Ids of the network nodes whose weights this phase updates (owners, not weight-sharing copies). */
  trains: string[];
  /** Ids of the loss nodes this phase sums. */
  losses: string[];
  /** e.g. "D step ×1: updates D (prior z) to minimise 0.5 × D loss." */
  say: string;
}

interface RawPhase {
  id: string;
  label: string;
  steps: number;
  trains: string[];
  losses: Array<{ node: string; weight: number }>;
  ema?: number;
}

const isLoss = (doc: GraphDocument, id: string) => doc.nodes[id]?.kind.startsWith('loss.') ?? false;

function weightOf(doc: GraphDocument, id: string): number {
  const n = doc.nodes[id]!;
  const r = getKind(n.kind)?.params.safeParse(n.params);
  const w = Number((r?.success ? (r.data as Record<string, unknown>) : n.params).weight ?? 1);
  return Number.isFinite(w) ? w : 1;
}

/** Networks upstream of some loss nodes, as their weight owners: used only when compiling fails. */
function upstreamNetworks(doc: GraphDocument, losses: string[]): string[] {
  const seen = new Set<string>();
  const owners = new Set<string>();
  const edges = Object.values(doc.edges);
  const stack = [...losses];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = doc.nodes[id];
    if (n && getKind(n.kind)?.trainable) owners.add(n.shares ?? id);
    for (const e of edges) if (e.target.node === id) stack.push(e.source.node);
  }
  return Object.keys(doc.nodes).filter((id) => owners.has(id));
}

/** The document's phases as written, for a graph that does not compile (yet). */
function rawPhases(doc: GraphDocument): RawPhase[] {
  const phases = doc.training.phases;
  if (phases.length === 0) {
    const losses = Object.keys(doc.nodes).filter((id) => isLoss(doc, id));
    if (losses.length === 0) return [];
    return [
      {
        id: 'train',
        label: 'Train',
        steps: 1,
        trains: upstreamNetworks(doc, losses),
        losses: losses.map((node) => ({ node, weight: weightOf(doc, node) })),
      },
    ];
  }
  return phases.map((ph) => ({
    id: ph.id,
    label: ph.label ?? ph.id,
    steps: ph.steps,
    trains: ph.trains.filter((id) => id in doc.nodes),
    losses: ph.losses.filter((id) => isLoss(doc, id)).map((node) => ({ node, weight: weightOf(doc, node) })),
    ...(ph.ema !== undefined ? { ema: ph.ema } : {}),
  }));
}

const list = (names: string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

function say(doc: GraphDocument, ph: RawPhase): string {
  const nets = ph.trains.length ? list(ph.trains.map((id) => nodeName(doc, id))) : 'no network';
  const losses = ph.losses.length
    ? ph.losses
        .map((l) => `${l.weight === 1 ? '' : `${num(l.weight)} × `}${nodeName(doc, l.node)}`)
        .join(' + ')
    : 'nothing';
  const ema = ph.ema !== undefined ? `, keeping a moving average (decay ${ph.ema}) of them for sampling` : '';
  return `${ph.label} ×${ph.steps}: updates ${nets} to minimise ${losses}${ema}.`;
}

/**
 * Which network each training phase updates and what it minimises, in the order the trainer runs them.
 * Read from the compiled program (which also spells out the implicit single phase of a document with no
 * phases); a document that does not compile falls back to its phases as written.
 */
export function phaseSummaries(doc: GraphDocument): PhaseSummary[] {
  const program = compile(doc).program;
  const phases: RawPhase[] = program
    ? program.phases.map((p) => ({
        id: p.id,
        label: p.label,
        steps: p.steps,
        trains: p.trains,
        losses: p.losses,
        ...(p.ema !== undefined ? { ema: p.ema } : {}),
      }))
    : rawPhases(doc);
  return phases.map((ph) => ({
    id: ph.id,
    label: ph.label,
    steps: ph.steps,
    trains: [...ph.trains],
    losses: ph.losses.map((l) => l.node),
    say: say(doc, ph),
  }));
}

import type { Phase } from '../document/schema';
import type { DiffOptions, GraphDiff, PhaseChange, Replacement } from './diff';
import type { Side } from './side';
import { categoryOf, kindOf, ownerOf } from './side';
import {
  called,
  calledMany,
  family,
  fmt,
  list,
  name,
  plural,
  quote,
  source,
  trainingWord,
  upperFirst,
} from './words';

/**
 * Plain sentences generated from a diff by generic rules (never per template pair): a loss replaced
 * by a network and the losses that train it, a node bypassed or inserted, a node swapped for another
 * of its category in the same place, losses and networks added or dropped, params changed, phases.
 */
export function summarize(
  A: Side,
  B: Side,
  ab: Map<string, string>,
  diff: GraphDiff,
  opts: DiffOptions,
): { replacements: Replacement[]; summary: string[] } {
  const same = (A.doc.title || '') === (B.doc.title || '');
  const nA = opts.nameA ?? (same ? 'the first graph' : A.doc.title);
  const nB = opts.nameB ?? (same ? 'the second graph' : B.doc.title);
  const subject = upperFirst(nB);
  const n = diff.nodes;
  const removed = A.ids.filter((id) => n.a[id] === 'removed');
  const added = B.ids.filter((id) => n.b[id] === 'added');
  const changed = Object.keys(n.changes);
  const edgesAdded = Object.values(diff.edges.b).filter((s) => s === 'added').length;
  const edgesRemoved = Object.values(diff.edges.a).filter((s) => s === 'removed').length;
  const phasesAdded = diff.phases.list.filter((p) => p.status === 'added').length;
  const phasesRemoved = diff.phases.list.filter((p) => p.status === 'removed').length;
  const phasesChanged = diff.phases.list.filter((p) => p.status === 'changed').length;

  if (
    !removed.length &&
    !added.length &&
    !changed.length &&
    !edgesAdded &&
    !edgesRemoved &&
    !phasesAdded &&
    !phasesRemoved &&
    !phasesChanged &&
    !diff.training.length
  ) {
    return {
      replacements: [],
      summary: [
        `${upperFirst(nA)} and ${nB} are identical: the same nodes, parameters, wires and training phases.`,
      ],
    };
  }

  const out: string[] = [];
  const counts = [
    `${plural(added.length, 'node')} added, ${removed.length} removed, ${changed.length} changed`,
    `${plural(edgesAdded, 'wire')} added, ${edgesRemoved} removed`,
  ];
  if (phasesAdded + phasesRemoved + phasesChanged) {
    counts.push(
      `${plural(phasesAdded, 'training phase')} added, ${phasesRemoved} removed, ${phasesChanged} changed`,
    );
  }
  out.push(`${upperFirst(counts.join('; '))}.`);

  const explA = new Set<string>();
  const explB = new Set<string>();
  const replacements: Replacement[] = [];
  const isAdded = (id: string) => n.b[id] === 'added' && !explB.has(id);
  const isRemoved = (id: string) => n.a[id] === 'removed' && !explA.has(id);
  const familyOf = (side: Side, owner: string) => side.ids.filter((id) => ownerOf(side, id) === owner);
  const record = (why: Replacement['why'], a: string[], b: string[]) => {
    replacements.push({ why, a, b });
    a.forEach((id) => explA.add(id));
    b.forEach((id) => explB.add(id));
  };

  // 1. A loss replaced: an added network (and the added losses that train it) or an added loss now
  //    reads what the removed loss read.
  for (const L of removed) {
    if (categoryOf(A, L) !== 'loss' || !isRemoved(L)) continue;
    const srcs = (A.inE.get(L) ?? []).filter((e) => ab.has(e.s));
    const srcB = new Set(srcs.map((e) => ab.get(e.s)!));
    if (!srcB.size) continue;
    const on = list(srcs.map((e) => source(A, e.s, e.sp)));
    for (const c of added) {
      if (!isAdded(c) || !(B.inE.get(c) ?? []).some((e) => srcB.has(e.s))) continue;
      if (categoryOf(B, c) === 'loss') {
        record('loss', [L], [c]);
        out.push(`${subject} replaces ${called(A, L)} on ${on} with ${called(B, c, 'a')}.`);
        break;
      }
      if (categoryOf(B, c) !== 'network') continue;
      const owner = ownerOf(B, c);
      const fam = familyOf(B, owner);
      const fed = added.filter(
        (l) =>
          isAdded(l) && categoryOf(B, l) === 'loss' && (B.inE.get(l) ?? []).some((e) => fam.includes(e.s)),
      );
      if (!fed.length) continue;
      const inputs = fam.flatMap((f) => B.inE.get(f) ?? []).filter((e) => !fam.includes(e.s));
      const mine = inputs.filter((e) => srcB.has(e.s)).map((e) => source(B, e.s, e.sp));
      const other = inputs.filter((e) => !srcB.has(e.s)).map((e) => source(B, e.s, e.sp));
      const what =
        kindOf(B, owner) === 'net.discriminator' && other.length
          ? `that tells ${list([...new Set(mine)])} from ${list([...new Set(other)])}`
          : `that reads ${list([...new Set([...mine, ...other])])}`;
      const kinds = new Set(fed.map((l) => kindOf(B, l)));
      const lossWord =
        kinds.size === 1
          ? `${called(B, fed[0]!, 'the')
              .replace(/ ".*$/, '')
              .replace(/loss$/, fed.length > 1 ? 'losses' : 'loss')} `
          : '';
      const trained = `trained by ${lossWord}${list(fed.map((l) => quote(name(B, l))))}`;
      record('loss', [L], [...fam.filter((f) => n.b[f] === 'added'), ...fed]);
      out.push(
        `${subject} replaces ${called(A, L)} on ${on} with ${called(B, owner, 'a')} ${what}, ${trained}.`,
      );
      break;
    }
  }

  // 2. A node removed from between two matched nodes that B now wires directly, and the reverse.
  const bypass = (X: Side, Y: Side, xy: Map<string, string>, id: string, fresh: (e: string) => boolean) => {
    for (const e1 of X.inE.get(id) ?? []) {
      for (const e2 of X.outE.get(id) ?? []) {
        const s = xy.get(e1.s);
        const t = xy.get(e2.t);
        if (s === undefined || t === undefined) continue;
        if (Y.edges.some((f) => f.s === s && f.t === t && f.tp === e2.tp && fresh(f.id))) return [e1.s, e2.t];
      }
    }
    return undefined;
  };
  const ba = new Map([...ab].map(([x, y]) => [y, x]));
  for (const R of removed) {
    if (!isRemoved(R) || categoryOf(A, R) === 'loss') continue;
    const hit = bypass(A, B, ab, R, (e) => diff.edges.b[e] === 'added');
    if (!hit) continue;
    record('bypass', [R], []);
    const [s, t] = hit.map((x) => name(B, ab.get(x)!));
    out.push(`${subject} wires ${s} straight into ${t}, without ${called(A, R)}.`);
  }
  for (const N of added) {
    if (!isAdded(N) || categoryOf(B, N) === 'loss') continue;
    const hit = bypass(B, A, ba, N, (e) => diff.edges.a[e] === 'removed');
    if (!hit) continue;
    record('insert', [], [N]);
    const [s, t] = hit.map((x) => name(B, x));
    out.push(`${subject} puts ${called(B, N, 'a')} between ${s} and ${t}.`);
  }

  // 3. A node swapped for another of the same category in the same place (families for networks).
  const anchors = (side: Side, owner: string, xy: (id: string) => string | undefined) => {
    const t = new Map<string, string>();
    for (const f of familyOf(side, owner)) {
      for (const e of side.outE.get(f) ?? []) {
        const m = xy(e.t);
        if (m !== undefined) t.set(`o:${m}.${e.tp}`, `as the input of ${name(B, m)}`);
      }
      for (const e of side.inE.get(f) ?? []) {
        const m = xy(e.s);
        if (m !== undefined) t.set(`i:${m}.${e.sp}`, `reading ${source(B, m, e.sp)}`);
      }
    }
    return t;
  };
  const owners = (side: Side, ids: string[], ok: (id: string) => boolean) =>
    ids.filter((id) => ok(id) && ownerOf(side, id) === id && categoryOf(side, id) !== 'loss');
  for (;;) {
    let best: [string, string, string[]] | undefined;
    for (const R of owners(A, removed, isRemoved)) {
      const ta = anchors(A, R, (x) => ab.get(x));
      for (const N of owners(B, added, isAdded)) {
        if (categoryOf(A, R) !== categoryOf(B, N)) continue;
        const tb = anchors(B, N, (x) => (ba.has(x) ? x : undefined));
        const common = [...ta.keys()].filter((k) => tb.has(k)).map((k) => tb.get(k)!);
        if (common.length > (best?.[2].length ?? 0)) best = [R, N, common];
      }
    }
    if (!best) break;
    const [R, N, common] = best;
    record(
      'role',
      familyOf(A, R),
      familyOf(B, N).filter((f) => n.b[f] === 'added'),
    );
    out.push(`${subject} replaces ${called(A, R)} with ${called(B, N)}, ${list([...new Set(common)])}.`);
  }
  const dataA = owners(A, removed, isRemoved).filter((id) => categoryOf(A, id) === 'data');
  const dataB = owners(B, added, isAdded).filter((id) => categoryOf(B, id) === 'data');
  if (dataA.length === 1 && dataB.length === 1) {
    record('role', dataA, dataB);
    out.push(`${subject} trains on ${called(B, dataB[0]!)} instead of ${called(A, dataA[0]!)}.`);
  }

  // 4. Losses added or dropped.
  const lossesA = removed.filter((id) => isRemoved(id) && categoryOf(A, id) === 'loss');
  const lossesB = added.filter((id) => isAdded(id) && categoryOf(B, id) === 'loss');
  if (lossesA.length && lossesB.length) {
    out.push(`${subject} minimises ${calledMany(B, lossesB)} instead of ${calledMany(A, lossesA)}.`);
  } else {
    for (const l of lossesB) {
      const on = (B.inE.get(l) ?? []).map((e) => source(B, e.s, e.sp));
      out.push(`${subject} adds ${called(B, l, 'a')}${on.length ? ` on ${list(on)}` : ''}.`);
    }
    if (lossesA.length) out.push(`${subject} drops ${calledMany(A, lossesA)}.`);
  }
  lossesA.forEach((id) => explA.add(id));
  lossesB.forEach((id) => explB.add(id));

  // 5. Networks added or dropped, and networks used again (or no longer) with shared weights.
  const netsA = owners(A, removed, isRemoved).filter((id) => categoryOf(A, id) === 'network');
  const netsB = owners(B, added, isAdded).filter((id) => categoryOf(B, id) === 'network');
  if (netsA.length && netsB.length) {
    out.push(
      `${subject} uses ${list(netsB.map((x) => family(B, x, 'a')))} instead of ${list(netsA.map((x) => family(A, x, 'the')))}.`,
    );
  } else if (netsB.length) {
    out.push(`${subject} adds ${list(netsB.map((x) => family(B, x, 'a')))}.`);
  } else if (netsA.length) {
    out.push(`${subject} drops ${list(netsA.map((x) => family(A, x, 'the')))}.`);
  }
  netsA.forEach((x) => familyOf(A, x).forEach((f) => explA.add(f)));
  netsB.forEach((x) => familyOf(B, x).forEach((f) => explB.add(f)));
  const reuse = (side: Side, ids: string[], ok: (id: string) => boolean, verb: string) => {
    const byOwner = new Map<string, string[]>();
    for (const id of ids) {
      const o = ownerOf(side, id);
      if (!ok(id) || o === id) continue;
      byOwner.set(o, [...(byOwner.get(o) ?? []), id]);
    }
    for (const [o, uses] of byOwner) {
      const ownerName = side === B ? name(B, o) : name(B, ab.get(o) ?? o);
      out.push(
        `${subject} ${verb} ${ownerName}'s weights in ${list(uses.map((u) => quote(name(side, u))))}.`,
      );
      uses.forEach((u) => (side === B ? explB : explA).add(u));
    }
  };
  reuse(B, added, isAdded, 'also uses');
  reuse(A, removed, isRemoved, 'no longer uses');

  // 6. Whatever else was added or dropped (data, noise, diffusion machinery, ops).
  const rest = added.filter(isAdded);
  if (rest.length) out.push(`${subject} adds ${calledMany(B, rest, 'a')}.`);
  const gone = removed.filter(isRemoved);
  if (gone.length) out.push(`${subject} drops ${calledMany(A, gone)}.`);

  // 7. Params changed on matched nodes.
  for (const [a, b] of n.pairs) {
    const keys = n.changes[b];
    if (!keys) continue;
    const parts = keys.map((k, i) => {
      if (k === 'shares') {
        const o = ownerOf(B, b);
        return o === b ? 'no longer shares weights' : `now shares weights with ${name(B, o)}`;
      }
      return `${k}${i === 0 ? ' changed' : ''} from ${fmt(A.params.get(a)?.[k])} to ${fmt(B.params.get(b)?.[k])}`;
    });
    const shown = parts.length > 6 ? [...parts.slice(0, 5), `${parts.length - 5} more`] : parts;
    out.push(`${name(B, b)}: ${list(shown)}.`);
  }

  // 8. Training phases.
  for (const c of diff.phases.list) out.push(...phaseSentence(A, B, c, subject));

  // 9. Training settings.
  if (diff.training.length) {
    const parts = diff.training.map(
      (k) =>
        `${trainingWord(k)} from ${fmt(A.doc.training[k as keyof typeof A.doc.training])} to ${fmt(B.doc.training[k as keyof typeof B.doc.training])}`,
    );
    out.push(`Training settings: ${list(parts)}.`);
  }
  return { replacements, summary: out };
}

function phaseOf(side: Side, id: string | undefined): Phase | undefined {
  return side.doc.training.phases.find((p) => p.id === id);
}

function phaseName(p: Phase): string {
  return quote(p.label ?? p.id);
}

function phaseSentence(A: Side, B: Side, c: PhaseChange, subject: string): string[] {
  const names = (side: Side, ids: string[]) => list(ids.map((id) => name(side, id)));
  if (c.status === 'same') return [];
  if (c.status === 'added') {
    const p = phaseOf(B, c.b)!;
    return [
      `${subject} adds a training phase ${phaseName(p)} that trains ${names(B, p.trains)} to minimise ${names(B, p.losses)}.`,
    ];
  }
  if (c.status === 'removed') {
    const p = phaseOf(A, c.a)!;
    return [
      `${subject} drops the training phase ${phaseName(p)}, which trained ${names(A, p.trains)} to minimise ${names(A, p.losses)}.`,
    ];
  }
  const pa = phaseOf(A, c.a)!;
  const pb = phaseOf(B, c.b)!;
  const parts: string[] = [];
  const pair = (add: string[], rem: string[], verb: string) => {
    if (add.length && rem.length) parts.push(`${verb} ${names(B, add)} instead of ${names(A, rem)}`);
    else if (add.length) parts.push(`now also ${verb} ${names(B, add)}`);
    else if (rem.length) parts.push(`no longer ${verb} ${names(A, rem)}`);
  };
  pair(c.trainsAdded, c.trainsRemoved, 'trains');
  pair(c.lossesAdded, c.lossesRemoved, 'minimises');
  for (const k of c.settings) {
    if (k === 'steps') parts.push(`runs ${plural(pb.steps, 'step')} per iteration instead of ${pa.steps}`);
    else if (k === 'ema') parts.push(`weight averaging (EMA) from ${fmt(pa.ema)} to ${fmt(pb.ema)}`);
    else {
      const key = k.slice('optimizer.'.length) as keyof Phase['optimizer'];
      parts.push(`optimizer ${key} from ${fmt(pa.optimizer[key])} to ${fmt(pb.optimizer[key])}`);
    }
  }
  const was = phaseName(pa) !== phaseName(pb) ? ` (was ${phaseName(pa)})` : '';
  return [`Training phase ${phaseName(pb)}${was}: ${parts.join('; ')}.`];
}

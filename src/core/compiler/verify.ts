import type { Diagnostic } from '../diagnostics';
import type { Program } from './ir';

/**
 * Checks the program between passes (as tinygrad verifies its IR): each value is defined before it is
 * used in every phase, each trained network has exactly one owner, and trains lists only owners.
 */
export function verify(p: Program): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const bad = (message: string, extra: Partial<Diagnostic> = {}) =>
    ds.push({ severity: 'error', code: 'verify', message: `internal check failed: ${message}`, ...extra });
  for (const n of Object.values(p.nodes)) {
    const owner = p.nodes[n.owner];
    if (!owner) bad(`${n.id} is owned by missing node ${n.owner}`, { node: n.id });
    else if (owner.owner !== owner.id)
      bad(`${n.id}'s owner ${owner.id} is not its own owner`, { node: n.id });
  }
  for (const ph of p.phases) {
    const seen = new Set<string>();
    for (const id of ph.schedule) {
      const n = p.nodes[id];
      if (!n) {
        bad(`phase ${ph.id} schedules unknown node ${id}`, { phase: ph.id });
        continue;
      }
      for (const [port, src] of Object.entries(n.inputs)) {
        if (ph.schedule.includes(src.node) && !seen.has(src.node)) {
          bad(`phase ${ph.id} uses ${src.node} before computing it (input ${port} of ${id})`, {
            phase: ph.id,
            node: id,
          });
        }
      }
      seen.add(id);
    }
    for (const l of ph.losses)
      if (!seen.has(l.node)) bad(`phase ${ph.id} never computes loss ${l.node}`, { phase: ph.id });
    for (const t of ph.trains) {
      if (p.nodes[t]?.owner !== t) bad(`phase ${ph.id} trains ${t}, which is not an owner`, { phase: ph.id });
    }
  }
  return ds;
}

import type { Diagnostic } from '../diagnostics';
import { hasErrors } from '../diagnostics';
import type { GraphDocument, Phase, PortRef } from '../document/schema';
import { Optimizer } from '../document/schema';
import { analyze, nodeName } from '../graph/analyze';
import { getKind } from '../kinds/registry';
import type { Analysis } from '../graph/analyze';
import type { IrNode, IrPhase, Program } from './ir';
import { verify } from './verify';

export interface CompileResult {
  program?: Program;
  diagnostics: Diagnostic[];
}

/**
 * validate → infer shapes → lower → plan → verify. Pure: the same document always gives the same
 * program, and every refusal is a diagnostic pinned to a node, phase or field.
 */
export function compile(doc: GraphDocument, analysis: Analysis = analyze(doc)): CompileResult {
  const ds: Diagnostic[] = [...analysis.diagnostics];
  if (hasErrors(ds)) return { diagnostics: ds };
  const nodes = lower(doc, analysis);
  const order = analysis.order;
  const phases = plan(doc, nodes, order, ds);
  checkOutputs(doc, nodes, ds);
  if (hasErrors(ds)) return { diagnostics: ds };
  const datasets = new Set<string>();
  for (const id of order) {
    const info = analysis.nodes[id]!;
    for (const d of info.kind!.datasets?.(info.params!) ?? []) datasets.add(d);
  }
  const program: Program = {
    title: doc.title,
    nodes,
    order,
    phases,
    outputs: doc.outputs,
    batchSize: doc.training.batchSize,
    seed: doc.training.seed,
    iterations: doc.training.iterations,
    logEvery: doc.training.logEvery,
    datasets: [...datasets].sort(),
  };
  ds.push(...verify(program));
  return hasErrors(ds) ? { diagnostics: ds } : { program, diagnostics: ds };
}

function lower(doc: GraphDocument, a: Analysis): Record<string, IrNode> {
  const nodes: Record<string, IrNode> = {};
  for (const id of a.order) {
    const info = a.nodes[id]!;
    const inputs: Record<string, PortRef> = {};
    for (const p of info.inputs) {
      const wire = a.incoming[`${id}:${p.name}`];
      if (wire) inputs[p.name] = wire.source;
    }
    nodes[id] = {
      id,
      kind: info.kind!.kind,
      params: info.params!,
      owner: info.owner,
      inputs,
      inputInfo: Object.fromEntries(
        Object.entries(info.inputInfo).filter((e) => e[1] !== undefined),
      ) as IrNode['inputInfo'],
      outputInfo: info.outputInfo,
      trainable: Boolean(info.kind!.trainable),
      label: nodeName(doc, id),
    };
  }
  return nodes;
}

/**
 * The nodes needed to compute some outputs, in dependency order. An output marked independent (a
 * network handle) needs its node but none of that node's inputs.
 */
/**
 * With no phases written, a graph trains as a user would expect of a plain model: one phase that sums
 * every loss and updates every network those losses depend on (Adam, lr 1e-3).
 */
export function defaultPhase(nodes: Record<string, IrNode>, order: readonly string[]): Phase | undefined {
  const losses = order.filter((id) => nodes[id]!.kind.startsWith('loss.'));
  const schedule = upstream(
    nodes,
    order,
    losses.map((id) => ({ node: id, port: 'loss' })),
    (n, port) => isIndependent(n, port),
  );
  const trains = [...new Set(schedule.filter((id) => nodes[id]!.trainable).map((id) => nodes[id]!.owner))];
  if (losses.length === 0 || trains.length === 0) return undefined;
  return {
    id: 'train',
    label: 'Train (every loss, every network)',
    losses,
    trains,
    optimizer: Optimizer.parse({}),
    steps: 1,
  };
}

export function upstream(
  nodes: Record<string, IrNode>,
  order: readonly string[],
  targets: readonly PortRef[],
  independent: (node: IrNode, port: string) => boolean,
): string[] {
  const full = new Set<string>();
  const bare = new Set<string>();
  const visit = (ref: PortRef) => {
    const n = nodes[ref.node];
    if (!n) return;
    if (independent(n, ref.port)) {
      bare.add(n.id);
      return;
    }
    if (full.has(n.id)) return;
    full.add(n.id);
    for (const src of Object.values(n.inputs)) visit(src);
  };
  targets.forEach(visit);
  return order.filter((id) => full.has(id) || bare.has(id));
}

function plan(
  doc: GraphDocument,
  nodes: Record<string, IrNode>,
  order: string[],
  ds: Diagnostic[],
): IrPhase[] {
  let phases = doc.training.phases;
  if (phases.length === 0) {
    const implicit = defaultPhase(nodes, order);
    if (!implicit) {
      ds.push({
        severity: 'error',
        code: 'no-phases',
        field: 'training.phases',
        message: 'there is nothing to train yet: add a loss node that depends on a network',
      });
      return [];
    }
    if (implicit.losses.some((id) => nodes[id]!.kind === 'loss.adversarial')) {
      ds.push({
        severity: 'warning',
        code: 'implicit-adversarial',
        field: 'training.phases',
        message:
          'one phase minimises every loss, discriminator and generator alike: an adversarial model needs a D phase and a G phase',
      });
    }
    phases = [implicit];
  }
  const trainedSomewhere = new Set<string>();
  const feedsALoss = new Set<string>();
  const out: IrPhase[] = [];
  phases.forEach((ph, pi) => {
    const err = (message: string, extra: Partial<Diagnostic> = {}) =>
      ds.push({
        severity: 'error',
        code: 'bad-phase',
        phase: ph.id,
        field: `training.phases.${pi}`,
        message,
        ...extra,
      });
    const losses = ph.losses.filter((id) => {
      const n = nodes[id];
      if (!n)
        return (err(`phase '${ph.id}' sums the loss '${id}', which is not a node of this graph`), false);
      if (!n.kind.startsWith('loss.'))
        return (
          err(`phase '${ph.id}' lists ${n.label} as a loss, but it is not a loss node`, { node: id }),
          false
        );
      return true;
    });
    const schedule = upstream(
      nodes,
      order,
      losses.map((id) => ({ node: id, port: 'loss' })),
      (n, port) => isIndependent(n, port),
    );
    for (const id of schedule) {
      if (isSampleOnly(nodes[id]!)) {
        err(
          `phase '${ph.id}' would run ${nodes[id]!.label}, which only runs when sampling; a loss cannot depend on it`,
          { node: id },
        );
      }
    }
    const owners = new Set(schedule.filter((id) => nodes[id]!.trainable).map((id) => nodes[id]!.owner));
    owners.forEach((o) => feedsALoss.add(o));
    for (const id of ph.trains) {
      const n = nodes[id];
      if (!n) err(`phase '${ph.id}' trains '${id}', which is not a node of this graph`);
      else if (!n.trainable) err(`phase '${ph.id}' trains ${n.label}, which has no weights`, { node: id });
      else if (n.owner !== id) {
        err(
          `phase '${ph.id}' trains ${n.label}, which uses the weights of ${nodes[n.owner]!.label}: list '${n.owner}' instead`,
          { node: id },
        );
      } else if (!owners.has(id)) {
        err(`phase '${ph.id}' trains ${n.label}, but none of its losses depend on it`, { node: id });
      } else trainedSomewhere.add(id);
    }
    out.push({
      id: ph.id,
      label: ph.label ?? ph.id,
      losses: losses.map((id) => ({ node: id, weight: Number(nodes[id]!.params.weight ?? 1) })),
      trains: ph.trains.filter((id) => nodes[id]?.owner === id),
      optimizer: ph.optimizer,
      steps: ph.steps,
      ...(ph.ema !== undefined ? { ema: ph.ema } : {}),
      schedule,
    });
  });
  for (const o of feedsALoss) {
    if (!trainedSomewhere.has(o)) {
      ds.push({
        severity: 'warning',
        code: 'never-trained',
        node: o,
        message: `${nodes[o]!.label} feeds a loss, but no phase trains it: its weights stay as initialised`,
      });
    }
  }
  return out;
}

function checkOutputs(doc: GraphDocument, nodes: Record<string, IrNode>, ds: Diagnostic[]): void {
  for (const [name, ref] of Object.entries(doc.outputs)) {
    const n = nodes[ref.node];
    if (!n || !n.outputInfo[ref.port]) {
      ds.push({
        severity: 'error',
        code: 'bad-output',
        field: `outputs.${name}`,
        message: `the output '${name}' points at ${n ? `${n.label}'s '${ref.port}', which it does not have` : `'${ref.node}', which is not a node`}`,
        ...(n ? { node: n.id } : {}),
      });
    }
  }
}

export function isIndependent(n: IrNode, port: string): boolean {
  const k = getKind(n.kind);
  return Boolean(k?.outputs(n.params).find((p) => p.name === port)?.independent);
}

export function isSampleOnly(n: IrNode): boolean {
  return Boolean(getKind(n.kind)?.sampleOnly);
}

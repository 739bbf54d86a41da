import type { Optimizer, PortRef } from '../document/schema';
import type { TensorInfo } from '../shape';

/** The compiled program as plain data: what the runtime interprets and the code printer prints. */
export interface IrNode {
  id: string;
  kind: string;
  /** Params with defaults filled in (the owner's, for a node that shares weights). */
  params: Record<string, unknown>;
  /** The node whose variables this node uses (itself unless it shares weights). */
  owner: string;
  inputs: Record<string, PortRef>;
  inputInfo: Record<string, TensorInfo>;
  outputInfo: Record<string, TensorInfo>;
  trainable: boolean;
  label: string;
}

export interface IrLoss {
  node: string;
  weight: number;
}

export interface IrPhase {
  id: string;
  label: string;
  losses: IrLoss[];
  /** Owner ids of the networks whose variables this phase updates. */
  trains: string[];
  optimizer: Optimizer;
  steps: number;
  /** Decay of the moving average of the trained weights used for sampling (DDPM), if any. */
  ema?: number;
  /** Nodes evaluated by one step of this phase, in dependency order. */
  schedule: string[];
}

export interface Program {
  title: string;
  nodes: Record<string, IrNode>;
  /** Topological order of all nodes. */
  order: string[];
  phases: IrPhase[];
  outputs: Record<string, PortRef>;
  batchSize: number;
  seed: number;
  iterations: number;
  logEvery: number;
  /** Datasets the runtime must load before building. */
  datasets: string[];
}

/**
 * The losses a phase's optimizer minimises the weighted sum of: those weighted 0 are still computed
 * and reported, but left out so the backward pass skips them (all of them if every weight is 0).
 * The runtime and the printed program both sum these.
 */
export function summedLosses(phase: IrPhase): IrPhase['losses'] {
  const counted = phase.losses.filter((l) => l.weight !== 0);
  return counted.length > 0 ? counted : phase.losses;
}

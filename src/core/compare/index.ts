export { diffGraphs } from './diff';
export type { DiffOptions, GraphDiff, NodeStatusA, NodeStatusB, PhaseChange, Replacement } from './diff';

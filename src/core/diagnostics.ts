/** Everything a check finds is a diagnostic pinned to what the user can see and fix. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. 'missing-input', 'shape-mismatch'. */
  code: string;
  message: string;
  node?: string;
  port?: string;
  edge?: string;
  phase?: string;
  /** Dotted path of the field in the document, e.g. 'nodes.enc.params.latent'. */
  field?: string;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.node && `node '${d.node}'`, d.port && `port '${d.port}'`, d.phase && `phase '${d.phase}'`]
    .filter(Boolean)
    .join(', ');
  return `${d.severity}${where ? ` (${where})` : ''}: ${d.message}`;
}

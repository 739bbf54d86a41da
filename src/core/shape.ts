/** A dimension is a size, or a symbol such as 'B' (the batch) that is fixed only when the program runs. */
export type Dim = number | string;
export type Shape = readonly Dim[];

export const BATCH = 'B';

/** The semantic type of a value travelling on a wire; it decides which ports may be connected. */
export const PORT_TYPES = [
  'data',
  'latent',
  'gaussian',
  'logits',
  'code',
  'timestep',
  'schedule',
  'network',
  'loss',
] as const;
export type PortType = (typeof PORT_TYPES)[number];

export const PORT_TYPE_DOC: Record<PortType, string> = {
  data: 'samples in data space: images [B, H, W, C] or points [B, D]',
  latent: 'a latent vector z [B, D]',
  gaussian: 'a diagonal gaussian given by its mean and log-variance [B, D]',
  logits: 'unnormalised scores, e.g. a discriminator output',
  code: 'a structured code: one-hot categories or continuous factors [B, K]',
  timestep: 'integer diffusion timesteps t [B]',
  schedule: 'a diffusion noise schedule (β, ᾱ over T steps)',
  network: 'a trained network handed to a sampler that calls it repeatedly',
  loss: 'a scalar loss to minimise',
};

export interface TensorInfo {
  type: PortType;
  shape: Shape;
}

/** Thrown by shape rules; the analyser turns it into a diagnostic on the node (and port, if named). */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly port?: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of the static dimensions after the batch; throws if one of them is symbolic. */
export function featureSize(shape: Shape, what = 'input'): number {
  let n = 1;
  for (const d of shape.slice(1)) {
    if (typeof d !== 'number') throw new ShapeError(`${what} has a symbolic feature dimension ${d}`);
    n *= d;
  }
  return n;
}

export function isImage(shape: Shape): boolean {
  return shape.length === 4;
}

/** Requires an input and returns its info, or throws a ShapeError naming the port. */
export function need(inputs: Record<string, TensorInfo | undefined>, port: string): TensorInfo {
  const info = inputs[port];
  if (!info) throw new ShapeError(`input '${port}' is not connected`, port);
  return info;
}

export function requireRank(info: TensorInfo, port: string, ranks: number[]): void {
  if (!ranks.includes(info.shape.length)) {
    const want = ranks.map((r) => (r === 2 ? '[B, D]' : r === 4 ? '[B, H, W, C]' : `rank ${r}`)).join(' or ');
    throw new ShapeError(`'${port}' must be ${want}, got ${formatShape(info.shape)}`, port);
  }
}

export function requireSameShape(a: TensorInfo, aPort: string, b: TensorInfo, bPort: string): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(
      `'${aPort}' ${formatShape(a.shape)} and '${bPort}' ${formatShape(b.shape)} must have the same shape`,
      bPort,
    );
  }
}

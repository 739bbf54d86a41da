/** NumPy .npy (format 1.0), little-endian float32: what `np.load` reads. */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const le = new Float32Array(data.length);
  le.set(data);
  out.set(new Uint8Array(le.buffer), total);
  return out;
}

export function decodeNpy(buf: Uint8Array): { data: Float32Array; shape: number[] } {
  if (buf[0] !== 0x93 || String.fromCharCode(...buf.slice(1, 6)) !== 'NUMPY')
    throw new Error('not a .npy file');
  const len = new DataView(buf.buffer, buf.byteOffset).getUint16(8, true);
  const header = String.fromCharCode(...buf.slice(10, 10 + len));
  if (!header.includes("'<f4'")) throw new Error('only float32 .npy files are read');
  const m = /'shape': \(([^)]*)\)/.exec(header);
  const shape = (m?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const bytes = buf.slice(10 + len);
  return { data: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), shape };
}

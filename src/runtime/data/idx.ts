/**
 * IDX is the container format of the original MNIST files (LeCun et al.): a big-endian header
 * `00 00 <dtype> <ndims>` followed by one uint32 per dimension and then the raw data. Only the two
 * variants MNIST ships are accepted, unsigned bytes with 3 dims (images) or 1 dim (labels), so a
 * mixed-up file is caught at load time instead of producing garbage digits.
 */

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxData {
  count: number;
  /** 1 for label files. */
  rows: number;
  /** 1 for label files. */
  cols: number;
  /** count * rows * cols bytes; a view into the input buffer, not a copy. */
  data: Uint8Array;
}

export class IdxError extends Error {
  override name = 'IdxError';
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** Parses an IDX images (0x803) or labels (0x801) buffer. `what` names the file in errors. */
export function parseIdx(buffer: Uint8Array, what = 'IDX buffer'): IdxData {
  if (buffer.byteLength < 8) {
    throw new IdxError(`${what}: truncated, ${buffer.byteLength} bytes is shorter than the 8-byte header`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const magic = view.getUint32(0, false);
  let dims: number;
  if (magic === IDX_IMAGES_MAGIC) dims = 3;
  else if (magic === IDX_LABELS_MAGIC) dims = 1;
  else {
    throw new IdxError(
      `${what}: bad magic number ${hex(magic)}; expected ${hex(IDX_IMAGES_MAGIC)} (images) ` +
        `or ${hex(IDX_LABELS_MAGIC)} (labels). Is the file gzipped or not an IDX file?`,
    );
  }
  const headerBytes = 4 + 4 * dims;
  if (buffer.byteLength < headerBytes) {
    throw new IdxError(`${what}: truncated header, ${buffer.byteLength} of ${headerBytes} bytes`);
  }
  const count = view.getUint32(4, false);
  const rows = dims === 3 ? view.getUint32(8, false) : 1;
  const cols = dims === 3 ? view.getUint32(12, false) : 1;
  const expected = count * rows * cols;
  const available = buffer.byteLength - headerBytes;
  if (available < expected) {
    throw new IdxError(
      `${what}: truncated, header says ${count}×${rows}×${cols} = ${expected} data bytes ` +
        `but only ${available} follow it`,
    );
  }
  if (available > expected) {
    // Trailing bytes usually mean the header and the payload disagree, which is worth failing on.
    throw new IdxError(`${what}: ${available - expected} unexpected bytes after the ${expected} data bytes`);
  }
  return { count, rows, cols, data: buffer.subarray(headerBytes, headerBytes + expected) };
}

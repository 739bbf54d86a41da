import { describe, expect, it } from 'vitest';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxError, parseIdx } from './idx';

function idx(magic: number, dims: number[], data: number[]): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}

describe('parseIdx', () => {
  it('parses an images file', () => {
    const pixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    const parsed = parseIdx(idx(IDX_IMAGES_MAGIC, [2, 3, 4], pixels));
    expect(parsed.count).toBe(2);
    expect(parsed.rows).toBe(3);
    expect(parsed.cols).toBe(4);
    expect(Array.from(parsed.data)).toEqual(pixels);
  });

  it('parses a labels file with rows = cols = 1', () => {
    const parsed = parseIdx(idx(IDX_LABELS_MAGIC, [5], [3, 1, 4, 1, 5]));
    expect(parsed).toMatchObject({ count: 5, rows: 1, cols: 1 });
    expect(Array.from(parsed.data)).toEqual([3, 1, 4, 1, 5]);
  });

  it('reads big-endian dimensions larger than 255', () => {
    const parsed = parseIdx(idx(IDX_LABELS_MAGIC, [300], new Array<number>(300).fill(7)));
    expect(parsed.count).toBe(300);
  });

  it('honours the byte offset of a subarray input', () => {
    const inner = idx(IDX_LABELS_MAGIC, [2], [8, 9]);
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect(Array.from(parseIdx(outer.subarray(3)).data)).toEqual([8, 9]);
  });

  it('rejects a bad magic number, e.g. a gzipped file', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => parseIdx(gz, 'train-images')).toThrow(/train-images: bad magic number 0x1f8b0808/);
    expect(() => parseIdx(idx(0x0d03, [1, 1, 1], [0]))).toThrow(IdxError);
  });

  it('rejects a file shorter than its header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]))).toThrow(/truncated/);
    expect(() => parseIdx(idx(IDX_IMAGES_MAGIC, [1, 28], []))).toThrow(/truncated header/);
  });

  it('rejects a truncated payload', () => {
    const full = idx(IDX_IMAGES_MAGIC, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseIdx(full.subarray(0, full.length - 1))).toThrow(/8 data bytes but only 7 follow/);
  });

  it('rejects trailing bytes', () => {
    expect(() => parseIdx(idx(IDX_LABELS_MAGIC, [1], [1, 2]))).toThrow(/1 unexpected bytes/);
  });
});

import * as tf from '@tensorflow/tfjs';
// Side effect: registers the stock wasm kernels, so the originals we wrap below exist when we look them up.
import '@tensorflow/tfjs-backend-wasm';
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs';

/**
 * Extra kernels for the TF.js wasm backend (4.22), so that our networks can be trained on it.
 *
 * Missing on wasm (training throws "Kernel ... not registered"):
 * - Conv2DBackpropFilter: the filter gradient of conv2d, fused.conv2d and conv2dTranspose.
 * - UnsortedSegmentSum: the gradient of gather (embeddings).
 * Present but slow (hand-written C++ loops instead of XNNPACK, 5–20× slower than the forward op):
 * - Conv2DBackpropInput: the input gradient of every conv and the forward pass of conv2dTranspose.
 * - BatchMatMul / _FusedMatMul with transposeA or transposeB, which every matMul gradient uses.
 * - Tile, which the batchNorm gradient (and tf.broadcastTo) uses.
 *
 * Everything is composed from stock wasm kernels (XNNPACK Conv2D, BatchMatMul, Transpose, ...) called
 * directly through their kernelFunc, so no work happens in JS loops and intermediates never become
 * engine-tracked tensors (we free them with backend.disposeData).
 */

type Backend = KernelBackend;
type Attrs = NamedAttrMap;
type Pad =
  'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

const BACKEND = 'wasm';

/** The stock kernels as they were before we wrapped any of them; our compositions call these. */
const stock = new Map<string, KernelConfig>();
/** Our kernelFuncs, so a second registerWasmKernels() call can tell that they are already in place. */
const ours = new WeakSet<KernelFunc>();

function stockKernel(name: string): KernelConfig {
  const k = stock.get(name) ?? tf.getKernel(name, BACKEND);
  if (k == null) throw new Error(`wasm-kernels: the wasm backend has no '${name}' kernel to build on`);
  if (!ours.has(k.kernelFunc)) stock.set(name, k);
  return k;
}

function run(name: string, backend: Backend, inputs: NamedTensorInfoMap, attrs: Attrs = {}): TensorInfo {
  return stockKernel(name).kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

function free(backend: Backend, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

function reshape(backend: Backend, x: TensorInfo, shape: number[]): TensorInfo {
  return run('Reshape', backend, { x }, { shape });
}

/** Transpose that degrades to a (free) reshape when only size-1 axes move, e.g. batch 1 or 1 channel. */
function transpose(backend: Backend, x: TensorInfo, perm: number[]): TensorInfo {
  const moved = perm.filter((p) => x.shape[p] !== 1);
  const outShape = perm.map((p) => x.shape[p]!);
  if (moved.every((p, i) => i === 0 || p > moved[i - 1]!)) return reshape(backend, x, outShape);
  return run('Transpose', backend, { x }, { perm });
}

/** Slice only when it cuts something: the stock Slice copies even when the window is the whole tensor. */
function sliceIfNeeded(backend: Backend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return reshape(backend, x, size);
  return run('Slice', backend, { x }, { begin, size });
}

/** Reverses the rows of a [n, m] matrix as (exchange matrix) · x on XNNPACK's GEMM. */
function flipRows(backend: Backend, x: TensorInfo): TensorInfo {
  const n = x.shape[0]!;
  if (n === 1) return reshape(backend, x, x.shape);
  const p = new Float32Array(n * n);
  for (let i = 0; i < n; i++) p[i * n + n - 1 - i] = 1;
  const exchange: TensorInfo = {
    dataId: backend.write(p, [n, n], 'float32'),
    shape: [n, n],
    dtype: 'float32',
  };
  const out = run('BatchMatMul', backend, { a: exchange, b: x }, { transposeA: false, transposeB: false });
  free(backend, exchange);
  return out;
}

/** Explicit padding of an NHWC tensor's spatial axes. */
function nhwcPad(top: number, bottom: number, left: number, right: number): number[][] {
  return [[0, 0], [top, bottom], [left, right], [0, 0]]; // prettier-ignore
}

function checkConvAttrs(kernel: string, attrs: Attrs): void {
  const { dataFormat, dilations } = attrs as { dataFormat?: string; dilations?: number | number[] };
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`wasm-kernels ${kernel}: only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  }
  const d = dilations == null ? [1] : typeof dilations === 'number' ? [dilations] : dilations;
  if (d.some((v) => v !== 1)) {
    throw new Error(
      `wasm-kernels ${kernel}: only dilations 1 are supported, got ${JSON.stringify(dilations)}`,
    );
  }
}

function convInfo(xShape: number[], filterShape: number[], attrs: Attrs) {
  const { strides, pad, dimRoundingMode } = attrs as {
    strides: number | [number, number];
    pad: Pad;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * dW[kh,kw,ci,co] = Σ_b,i,j xpad[b, i·s+kh, j·s+kw, ci] · dy[b,i,j,co]. Read with the batch as the channel
 * axis, that is a stride-1 convolution of x^T [ci, H, W, b] with dy^T [H', W', b, co] as the filter and
 * dilation s, whose k×k output is dW laid out as [ci, kh, kw, co]. XNNPACK supports dilation, so the whole
 * reduction is one GEMM-backed Conv2D call.
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  checkConvAttrs('Conv2DBackpropFilter', attrs);
  const backend = b as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const filterShape = (attrs as { filterShape: number[] }).filterShape;
  const info = convInfo(x.shape, filterShape, attrs);
  const [B, H, W, ci] = x.shape as [number, number, number, number];
  const [kh, kw] = filterShape as [number, number];
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo } = info;
  const { top, left } = info.padInfo;
  // The rows the windows actually reach; padding beyond them is left out, and rows past them
  // (valid padding with a stride that does not divide) are cut off.
  const bottom = kh + (ho - 1) * sh - H - top;
  const right = kw + (wo - 1) * sw - W - left;
  const xSize = [B, H + Math.min(bottom, 0), W + Math.min(right, 0), ci];
  const xc = sliceIfNeeded(backend, x, [0, 0, 0, 0], xSize);
  const xt = transpose(backend, xc, [3, 1, 2, 0]);
  const dyt = transpose(backend, dy, [1, 2, 0, 3]);
  const pad = nhwcPad(top, Math.max(bottom, 0), left, Math.max(right, 0));
  const convAttrs = { strides: 1, pad, dilations: [sh, sw], dataFormat: 'NHWC' };
  const conv = run('Conv2D', backend, { x: xt, filter: dyt }, convAttrs);
  const out = transpose(backend, conv, [1, 2, 0, 3]);
  free(backend, xc, xt, dyt, conv);
  return out;
};

/**
 * dx[u - pt] = Σ_{i,kh: i·s + kh = u} dy[i] · W[kh]^T. Split u = q·s + p: each phase p is a stride-1
 * correlation of dy with the taps kh = p + m·s, flipped. All s×s phases run as ONE Conv2D whose output
 * channels are (p_h, p_w, ci) (phases with fewer taps get zero taps), and a transpose interleaves them.
 * Exact FLOPs for k divisible by s (k=4, s=2); k=3, s=2 does 16/9 of the work, still far cheaper than the
 * stock kernel or zero-insertion (4×).
 */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  checkConvAttrs('Conv2DBackpropInput', attrs);
  const backend = b as Backend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const inputShape = (attrs as { inputShape: number[] }).inputShape;
  const info = convInfo(inputShape, filter.shape, attrs);
  const [B, H, W, ci] = inputShape as [number, number, number, number];
  const [kh, kw, , co] = filter.shape as [number, number, number, number];
  const [, ho, wo] = dy.shape as [number, number, number, number];
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const mh = Math.ceil(kh / sh);
  const mw = Math.ceil(kw / sw);

  // G[a, b, co, (ph, pw, c)] = W[(mh-1-a)·sh + ph, (mw-1-b)·sw + pw, c, co], zero past the kernel's edge.
  // Built from rank ≤ 4 transposes: the stock Transpose is ~30× slower per element at rank 6, and the stock
  // Reverse and GatherV2 are element loops, so the flip of (a, b) is a product with an exchange matrix
  // (exact: each output is 1·w plus zeros).
  const paddings = [[0, mh * sh - kh], [0, mw * sw - kw], [0, 0], [0, 0]]; // prettier-ignore
  const wp = run('PadV2', backend, { x: filter }, { paddings, constantValue: 0 });
  const taps = mh * mw;
  const w1 = reshape(backend, wp, [mh, sh, mw, sw * ci * co]);
  const w2 = transpose(backend, w1, [0, 2, 1, 3]);
  const w3 = reshape(backend, w2, [taps, sh * sw * ci * co]);
  const w4 = flipRows(backend, w3);
  const w5 = reshape(backend, w4, [taps, sh * sw * ci, co]);
  const w6 = transpose(backend, w5, [0, 2, 1]);
  const g = reshape(backend, w6, [mh, mw, co, sh * sw * ci]);
  free(backend, wp, w1, w2, w3, w4, w5, w6);

  // Output rows u = y + top ∈ [top, top + H) live in phase rows q ∈ [q0, q1); phase row q reads dy rows
  // q - mh + 1 ... q, so the conv input is dy rows [q0 - mh + 1, q1), zero-padded where that leaves dy.
  const span = (pad0: number, size: number, s: number, m: number, dySize: number) => {
    const q0 = Math.floor(pad0 / s);
    const q1 = Math.floor((pad0 + size - 1) / s) + 1;
    const a = q0 - m + 1;
    const begin = Math.max(0, a);
    const len = Math.max(0, Math.min(dySize, q1) - begin);
    return { q0, n: q1 - q0, begin, len, padBefore: Math.max(0, -a), padAfter: Math.max(0, q1 - dySize) };
  };
  const rows = span(top, H, sh, mh, ho);
  const cols = span(left, W, sw, mw, wo);
  if (rows.len === 0 || cols.len === 0) {
    free(backend, g);
    return run('Fill', backend, {}, { shape: inputShape, value: 0, dtype: 'float32' });
  }
  const dys = sliceIfNeeded(backend, dy, [0, rows.begin, cols.begin, 0], [B, rows.len, cols.len, co]);
  const pad = nhwcPad(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter);
  const conv = run(
    'Conv2D',
    backend,
    { x: dys, filter: g },
    { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' },
  );
  free(backend, dys, g);

  // [B, qh, qw, (ph, pw, c)] → [B, qh, ph, qw, (pw, c)] interleaves the phases; a rank-4 transpose
  // because the stock DepthToSpace is an element loop (~10× slower).
  const phases = reshape(backend, conv, [B * rows.n, cols.n, sh, sw * ci]);
  const interleaved = transpose(backend, phases, [0, 2, 1, 3]);
  const full = reshape(backend, interleaved, [B, rows.n * sh, cols.n * sw, ci]);
  free(backend, conv, phases, interleaved);
  const out = sliceIfNeeded(backend, full, [0, top - rows.q0 * sh, left - cols.q0 * sw, 0], [B, H, W, ci]);
  free(backend, full);
  return out;
};

/** Swaps the last two axes. */
function swapLast(backend: Backend, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  return transpose(backend, t, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
}

/**
 * The stock BatchMatMul takes a scalar loop when an operand is transposed (5–10× slower than the plain
 * product), so we transpose explicitly (memory-bound) and multiply plain. XNNPACK packs the right operand
 * as weights on every call with new data (every training step), at about the cost of a transpose, so we
 * also pick between op(A)·op(B) and (op(B)^T·op(A)^T)^T by the elements transposed or packed: for the
 * input gradient of a dense layer, dy·W^T, that keeps the big W untransposed and unpacked (3× faster).
 */
function plainMatMul(name: 'BatchMatMul' | '_FusedMatMul'): KernelFunc {
  return ({ inputs, backend: b, attrs = {} }) => {
    const backend = b as Backend;
    const { transposeA: tA, transposeB: tB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!tA && !tB) return run(name, backend, inputs, attrs);
    const { a, b: bb } = inputs as { a: TensorInfo; b: TensorInfo };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const [ra, rb] = [a.shape.length, bb.shape.length];
    const m = a.shape[tA ? ra - 1 : ra - 2]!;
    const k = a.shape[tA ? ra - 2 : ra - 1]!;
    const n = bb.shape[tB ? rb - 2 : rb - 1]!;
    const batched = a.shape.slice(0, -2).some((d) => d > 1) || bb.shape.slice(0, -2).some((d) => d > 1);
    const cost = (tA ? m * k : 0) + (tB ? k * n : 0) + k * n;
    const swappedCost = (tA ? 0 : m * k) + (tB ? 0 : k * n) + m * k + m * n;
    // The fused kernel's bias and activation apply to op(A)·op(B), so it keeps the plain orientation.
    if (name === 'BatchMatMul' && !batched && swappedCost < cost) {
      const bt = tB ? bb : swapLast(backend, bb);
      const at = tA ? a : swapLast(backend, a);
      const ct = run(name, backend, { a: bt, b: at }, plain);
      const out = swapLast(backend, ct);
      free(backend, ct, ...(tB ? [] : [bt]), ...(tA ? [] : [at]));
      return out;
    }
    const a2 = tA ? swapLast(backend, a) : a;
    const b2 = tB ? swapLast(backend, bb) : bb;
    const out = run(name, backend, { ...inputs, a: a2, b: b2 }, plain);
    free(backend, ...(tA ? [a2] : []), ...(tB ? [b2] : []));
    return out;
  };
}

/**
 * Tile as a broadcasting Add with zeros: x of shape [d0, d1, ...] tiled by reps is x viewed as
 * [1, d0, 1, d1, ...] broadcast against zeros [r0, 1, r1, 1, ...]. Axes of size 1 are dropped and neighbours
 * of the same kind merged, so the broadcast usually has rank 2–3; the stock Tile is a per-element loop
 * (70× slower for the batchNorm gradient's [1,1,1,C] → [N,H,W,C]).
 */
const tile: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as Backend;
  const { x } = inputs as { x: TensorInfo };
  const reps = (attrs as { reps: number[] }).reps;
  const dims: { size: number; rep: boolean }[] = [];
  x.shape.forEach((d, i) => {
    const pair = [{ size: reps[i]!, rep: true }, { size: d, rep: false }]; // prettier-ignore
    for (const e of pair) {
      const last = dims[dims.length - 1];
      if (e.size === 1) continue;
      if (last != null && last.rep === e.rep) last.size *= e.size;
      else dims.push(e);
    }
  });
  // XNNPACK's broadcasting binary ops take at most 6 dimensions.
  if (x.dtype !== 'float32' || dims.length > 6 || dims.length === 0)
    return run('Tile', backend, inputs, attrs);
  const xv = reshape(backend, x, dims.map((d) => (d.rep ? 1 : d.size))); // prettier-ignore
  const zerosShape = dims.map((d) => (d.rep ? d.size : 1));
  const zeros = run('Fill', backend, {}, { shape: zerosShape, value: 0, dtype: 'float32' });
  const sum = run('Add', backend, { a: xv, b: zeros });
  const out = reshape(backend, sum, x.shape.map((d, i) => d * reps[i]!)); // prettier-ignore
  free(backend, xv, zeros, sum);
  return out;
};

/**
 * UnsortedSegmentSum as ScatterNd, which sums duplicate indices. Ids outside [0, numSegments) must be
 * dropped (TF semantics) and would make ScatterNd write out of bounds, so they are routed to one extra
 * row that is sliced away; reading the ids is a heap copy on wasm, not a GPU sync.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as Backend;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const n = segmentIds.shape.reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(segmentIds.shape.length);
  const ids = backend.readSync(segmentIds.dataId) as ArrayLike<number>;
  const safe = Int32Array.from({ length: n }, (_, i) => {
    const v = ids[i]!;
    return v >= 0 && v < numSegments ? v : numSegments;
  });
  const indices: TensorInfo = { dataId: backend.write(safe, [n, 1], 'int32'), shape: [n, 1], dtype: 'int32' };
  const updates = reshape(backend, x, [n, ...inner]);
  const summed = run('ScatterNd', backend, { indices, updates }, { shape: [numSegments + 1, ...inner] });
  const window = { begin: [0, ...inner.map(() => 0)], size: [numSegments, ...inner] };
  const out = run('Slice', backend, { x: summed }, window);
  free(backend, indices, updates, summed);
  return out;
};

const ADDED: Record<string, KernelFunc> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  UnsortedSegmentSum: unsortedSegmentSum,
};
const REPLACED: Record<string, KernelFunc> = {
  Conv2DBackpropInput: conv2DBackpropInput,
  BatchMatMul: plainMatMul('BatchMatMul'),
  _FusedMatMul: plainMatMul('_FusedMatMul'),
  Tile: tile,
};

/**
 * Registers the kernels above for 'wasm'. Idempotent. Safe before or after the wasm backend is initialised:
 * a replaced kernel keeps the stock setupFunc (which binds the C++ function our wrapper ends up calling).
 */
export function registerWasmKernels(): void {
  for (const [kernelName, kernelFunc] of Object.entries(ADDED)) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (current != null) continue; // ours already, or a future TF.js ships its own
    ours.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }
  for (const [kernelName, kernelFunc] of Object.entries(REPLACED)) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (current != null && ours.has(current.kernelFunc)) continue;
    const original = stockKernel(kernelName);
    ours.add(kernelFunc);
    // Unregister first: registering over an existing kernel works but logs a warning.
    tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ ...original, kernelFunc });
  }
}

/**
 * Puts TF.js's own versions of the replaced kernels back (the added ones stay: without them nothing with
 * a convolution trains on wasm). For benchmarks that time TF.js as shipped; registerWasmKernels() undoes it.
 */
export function useStockWasmKernels(): void {
  for (const kernelName of Object.keys(REPLACED)) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (current == null || !ours.has(current.kernelFunc)) continue;
    tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel(stockKernel(kernelName));
  }
}

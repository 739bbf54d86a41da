import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendAttempt, BackendChoice } from '../core/protocol';
import { registerWasmKernels } from '../runtime/wasm-kernels';

const ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

// Threads need a cross-origin isolated page (the COOP/COEP headers of `npm start` and `vite preview`).
let wasmThreads = defaultWasmThreads();

/**
 * One thread per core but one, up to XNNPACK's pool of 8: the page's main thread keeps a core to
 * itself, so panning and the views stay smooth while training (the command line, with no page, uses
 * every core). On a 2-core machine that is one thread; the Threads menu can ask for two.
 */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(8, (navigator.hardwareConcurrency || 1) - 1));
}

/** The user's choice, or the default; takes effect when the wasm backend first starts in this worker. */
export function setWasmThreads(n: number | undefined): void {
  wasmThreads = n ?? defaultWasmThreads();
}

/**
 * The threaded wasm build caps its pool at half of navigator.hardwareConcurrency, assuming every core
 * is hyper-threaded (tfjs-backend-wasm/src/cc/backend.cc); on a 2-core machine that is one thread.
 * The cap is read once, while the module starts, so for that moment the worker's navigator reports
 * twice the threads we ask for. Measured on this 2-core machine: see BENCHMARKS.md.
 */
async function withReportedCores<T>(cores: number, start: () => Promise<T>): Promise<T> {
  const nav = self.navigator as Navigator & { hardwareConcurrency: number };
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Why WebGPU cannot be used here, in words, or undefined when an adapter is available. */
async function webgpuProblem(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'this browser does not offer WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'the browser offers WebGPU but found no adapter for it';
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${(e as Error).message}`;
  }
  return undefined;
}

async function tryBackend(name: (typeof ORDER)[number]): Promise<BackendAttempt> {
  try {
    if (name === 'webgpu') {
      const problem = await webgpuProblem();
      if (problem) return { name, ok: false, reason: problem };
    }
    if (name === 'webgl') {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return { name, ok: false, reason: 'WebGL 2 is not available in this worker' };
    }
    const ok =
      name === 'wasm'
        ? await withReportedCores(2 * wasmThreads, () => (setThreadsCount(wasmThreads), tf.setBackend(name)))
        : await tf.setBackend(name);
    await tf.ready();
    if (!ok || tf.getBackend() !== name) return { name, ok: false, reason: 'it failed to initialise' };
    if (name === 'wasm') registerWasmKernels();
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, reason: (e as Error).message };
  }
}

/** wasm: how many threads it runs (they need a cross-origin isolated page: COOP/COEP headers). */
export function describeBackend(): string | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const n = getThreadsCount();
  return `${n} thread${n === 1 ? '' : 's'}${self.crossOriginIsolated ? '' : ', not cross-origin isolated'}`;
}

/**
 * Every backend that initialises here, in preference order, and why each other one does not. CPU is
 * listed only when nothing else works: it is the reference, never the fast choice.
 */
export async function usableBackends(): Promise<{ names: string[]; attempts: BackendAttempt[] }> {
  const attempts: BackendAttempt[] = [];
  for (const name of ORDER) {
    if (name === 'cpu' && attempts.some((a) => a.ok)) break;
    attempts.push(await tryBackend(name));
  }
  return { names: attempts.filter((a) => a.ok).map((a) => a.name), attempts };
}

/** Switches TF.js to a backend that usableBackends() found working. */
export async function useBackend(name: string): Promise<void> {
  const a = await tryBackend(name as (typeof ORDER)[number]);
  if (!a.ok) throw new Error(`${name} stopped working: ${a.reason}`);
}

/**
 * Auto tries WebGPU, then WebGL, WASM and CPU, and says why each one before the winner was passed
 * over. An explicit choice falls back the same way if it fails.
 */
export async function selectBackend(
  choice: BackendChoice,
): Promise<{ backend: string; attempts: BackendAttempt[] }> {
  const order = choice === 'auto' ? [...ORDER] : [choice, ...ORDER.filter((b) => b !== choice)];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const a = await tryBackend(name);
    attempts.push(a);
    if (a.ok) return { backend: name, attempts };
  }
  throw new Error(`no TF.js backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

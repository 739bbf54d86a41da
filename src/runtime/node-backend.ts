import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Node-only: points TF.js at one of its pure-JS/wasm backends for scripts and tests. tfjs-node is not
 * a dependency (native binaries), so 'wasm' (XNNPACK, SIMD) is the fast choice and 'cpu' the reference.
 *
 * Threads: the wasm backend hard-codes WASM_HAS_MULTITHREAD_SUPPORT to false under Node
 * (tensorflow/tfjs#3830), so it loads the single-threaded SIMD binary and setThreadsCount is ignored.
 * Forcing the flag to true makes initialisation fail, because the pthread workers are started from a
 * blob: URL that Node's worker_threads refuses (ERR_WORKER_PATH). We still ask for 2 threads so a
 * future build that supports them picks that up, and `wasmThreads()` reports what was actually used.
 */

export type NodeBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** Absolute path of the package's dist folder; setWasmPaths wants a prefix that ends in '/'. */
export function wasmDistDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + '/';
}

export async function initNodeBackend(name: NodeBackend): Promise<string> {
  if (tf.getBackend() === name) return name;
  if (name === 'wasm' && !wasmPathsSet) {
    // Must happen before the backend is first initialised; later calls are ignored by TF.js.
    setWasmPaths(wasmDistDir());
    setThreadsCount(2);
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(`TF.js backend '${name}' failed to initialise (active backend: '${active}')`);
  }
  return active;
}

/** Threads the wasm backend really runs with (1 under Node today); 0 if wasm is not active. */
export function wasmThreads(): number {
  return tf.getBackend() === 'wasm' ? getThreadsCount() : 0;
}

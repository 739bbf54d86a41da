import * as tf from '@tensorflow/tfjs';
import { BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Node-only: points TF.js at one of its pure-JS/wasm backends for scripts and tests. tfjs-node is not
 * a dependency (native binaries), so 'wasm' (XNNPACK, SIMD) is the fast choice and 'cpu' the reference.
 *
 * Threads. Stock TF.js never runs wasm threads under Node: it hard-codes WASM_HAS_MULTITHREAD_SUPPORT
 * to false there (tensorflow/tfjs#3830) and, in a browser, starts its pthread workers from a blob: URL
 * that Node's worker_threads refuse. The threaded SIMD build itself supports Node, though, so with
 * `threads > 1` we load it ourselves: its pthread worker script is written to a file, the main script
 * is given by path, and the result is registered as the 'wasm' backend (the same kernels, the same
 * BackendWasm class). One more obstacle: the C++ side caps the pool at half the logical cores, on the
 * guess that every core is hyper-threaded (tfjs-backend-wasm/src/cc/backend.cc), which gives one
 * thread on a 2-core machine like ours. The cap is read once, from os.cpus(), while the module starts,
 * so for that moment os.cpus() reports twice the threads asked for.
 */

export type NodeBackend = 'wasm' | 'cpu';

export interface NodeBackendOptions {
  /** wasm threads; default 1 (tests stay deterministic and leave cores to each other). */
  threads?: number;
}

let wasmConfigured = false;

/** Absolute path of the package's dist folder; setWasmPaths wants a prefix that ends in '/'. */
export function wasmDistDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + '/';
}

/** The cores of this machine, which is also what `--threads` defaults to on the command line. */
export function coreCount(): number {
  return Math.max(1, os.cpus().length);
}

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
}

function registerThreadedWasm(): void {
  const require = createRequire(import.meta.url);
  const out = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const mainScript = join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      // The worker text keeps the escaped newlines of its string literals only when re-escaped, as
      // TF.js itself does before making a blob of it. One private folder per process, removed on exit.
      const dir = mkdtempSync(join(os.tmpdir(), 'gengraph-wasm-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const workerScript = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
      writeFileSync(workerScript, wasmWorkerContents.replace(/\n/g, '\\n'));
      const realCpus = os.cpus;
      const asked = threadsAsked;
      os.cpus = () => Array.from({ length: 2 * asked }, () => realCpus()[0]!);
      let module: EmscriptenModule;
      try {
        module = await factory({
          locateFile: (path: string, prefix: string) =>
            path.endsWith('.worker.js')
              ? workerScript
              : path.endsWith('.wasm')
                ? join(out, 'tfjs-backend-wasm-threaded-simd.wasm')
                : prefix + path,
          mainScriptUrlOrBlob: mainScript,
        });
      } finally {
        os.cpus = realCpus;
      }
      (module as unknown as { tfjs: object }).tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    },
    3,
  );
}

let threadsAsked = 1;

export async function initNodeBackend(name: NodeBackend, opts: NodeBackendOptions = {}): Promise<string> {
  if (tf.getBackend() === name) return name;
  if (name === 'wasm' && !wasmConfigured) {
    // Must happen before the backend is first initialised; later calls are ignored by TF.js.
    threadsAsked = Math.max(1, Math.min(8, Math.floor(opts.threads ?? 1)));
    if (threadsAsked > 1) {
      setThreadsCount(threadsAsked);
      registerThreadedWasm();
    } else setWasmPaths(wasmDistDir());
    wasmConfigured = true;
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(`TF.js backend '${name}' failed to initialise (active backend: '${active}')`);
  }
  return active;
}

/** Threads the wasm backend really runs with; 0 if wasm is not active. */
export function wasmThreads(): number {
  return tf.getBackend() === 'wasm' ? getThreadsCount() : 0;
}

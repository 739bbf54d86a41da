import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { formatDiagnostic } from '../core/diagnostics';
import { loadDocument } from '../core/document/load';
import { applyPreset } from '../core/document/presets';
import type { GraphDocument } from '../core/document/schema';
import type { DataProvider } from '../core/kinds/types';
import { templateById } from '../core/templates';
import { loadMnistNode } from '../runtime/data/mnist-node';
import { coreCount, initNodeBackend } from '../runtime/node-backend';
import { registerWasmKernels } from '../runtime/wasm-kernels';

/** A usage error: printed with the usage text, exit code 2, never a stack trace. */
export class UsageError extends Error {}

export const BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Reads a document file, or a bundled template by id (e.g. `vae`). */
export function readDocument(path: string, preset?: string): GraphDocument {
  let text: string;
  const template = templateById(path);
  if (template) text = JSON.stringify(template.json);
  else {
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read '${path}': no such file (bundled templates: vae, gan-2d, …)`);
    }
  }
  const r = loadDocument(text);
  if (!r.doc)
    throw new UsageError(
      `'${path}' is not a GenGraph document:\n  ${r.diagnostics.map(formatDiagnostic).join('\n  ')}`,
    );
  if (!preset) return r.doc;
  try {
    return applyPreset(r.doc, preset);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--threads`: a whole number from 1 to 8, defaulting to every core of the machine. */
export function threadsOption(value: string | undefined): number {
  if (value === undefined) return Math.min(8, coreCount());
  const n = positiveInt(value, '--threads')!;
  if (n < 1 || n > 8) throw new UsageError('--threads must be between 1 and 8');
  return n;
}

export async function setupBackend(name: string, threads = 1): Promise<Backend> {
  if (!(BACKENDS as readonly string[]).includes(name))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
  if (name === 'webgpu') {
    await setupWebgpu();
    return 'webgpu';
  }
  await initNodeBackend(name as 'wasm' | 'cpu', { threads });
  if (name === 'wasm') registerWasmKernels();
  return name as Backend;
}

/**
 * WebGPU in Node through Dawn (the `webgpu` package). On a machine without a GPU, point Vulkan at a
 * software driver, e.g. Chromium's SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
 * LD_LIBRARY_PATH=/usr/lib/chromium (slow, but it computes correctly).
 */
async function setupWebgpu(): Promise<void> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  (g.navigator as { gpu?: unknown }).gpu = create([]);
  const adapter = await (g.navigator as { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'no WebGPU adapter: this machine has no GPU driver that Dawn can use. Without a GPU, try ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium',
    );
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('the TF.js WebGPU backend failed to initialise');
  await tf.ready();
}

export const nodeData: DataProvider = { get: (id) => loadMnistNode(id === 'mnist-train' ? 'train' : 'test') };

export function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a whole number, got '${v}'`);
  return n;
}

export function fail(usage: string, e: unknown): never {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(e as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

export { tf };

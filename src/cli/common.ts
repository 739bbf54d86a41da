import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { formatDiagnostic } from '../core/diagnostics';
import { loadDocument } from '../core/document/load';
import type { GraphDocument } from '../core/document/schema';
import type { DataProvider } from '../core/kinds/types';
import { templateById } from '../core/templates';
import { loadMnistNode } from '../runtime/data/mnist-node';
import { initNodeBackend } from '../runtime/node-backend';
import { registerWasmKernels } from '../runtime/wasm-kernels';

/** A usage error: printed with the usage text, exit code 2, never a stack trace. */
export class UsageError extends Error {}

export const BACKENDS = ['wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Reads a document file, or a bundled template by id (e.g. `vae`). */
export function readDocument(path: string): GraphDocument {
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
  return r.doc;
}

export async function setupBackend(name: string): Promise<Backend> {
  if (name === 'webgpu') {
    throw new UsageError(
      '--backend webgpu: WebGPU runs in the browser app; in Node this build offers wasm (fastest on a CPU) and cpu',
    );
  }
  if (!(BACKENDS as readonly string[]).includes(name))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
  await initNodeBackend(name as Backend);
  if (name === 'wasm') registerWasmKernels();
  return name as Backend;
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

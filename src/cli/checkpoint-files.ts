import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../core/document/schema';
import type { CheckpointManifest } from '../runtime/checkpoint';
import { captureCheckpoint } from '../runtime/checkpoint';
import type { TrainingProgram } from '../runtime/program';
import { UsageError } from './common';

/** A checkpoint on disk: checkpoint.json (manifest with the document) and weights.bin. */
export async function writeCheckpoint(dir: string, p: TrainingProgram, doc: GraphDocument): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { manifest, data } = await captureCheckpoint(p, doc);
  writeFileSync(join(dir, 'weights.bin'), data);
  writeFileSync(join(dir, 'checkpoint.json'), `${JSON.stringify(manifest)}\n`);
}

export function readCheckpoint(dir: string): { manifest: CheckpointManifest; data: Uint8Array } {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointManifest;
    const data = new Uint8Array(readFileSync(join(dir, 'weights.bin')));
    return { manifest, data };
  } catch (e) {
    throw new UsageError(`cannot read a checkpoint in '${dir}' (${(e as Error).message.split('\n')[0]})`);
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../src/core/compiler/compile';
import { applyPreset } from '../../src/core/document/presets';
import type { ForwardCtx, Tensor, Value } from '../../src/core/kinds/types';
import { readCheckpoint } from '../../src/cli/checkpoint-files';
import { UsageError, fail, nodeData, readDocument, setupBackend } from '../../src/cli/common';
import { restoreCheckpoint } from '../../src/runtime/checkpoint';
import { TrainingProgram } from '../../src/runtime/program';
import type { SampleScore } from '../../src/runtime/scoring/metrics';

/** Loads a document and a trained checkpoint into a program, for the reproduction scripts. */
export async function loadTrained(
  docPath: string,
  checkpoint: string,
  preset?: string,
): Promise<{
  program: TrainingProgram;
  call: (node: string, inputs: Record<string, Value>, training?: boolean) => Record<string, Value>;
}> {
  await setupBackend('wasm');
  let program: TrainingProgram;
  try {
    let doc = readDocument(docPath);
    if (preset) doc = applyPreset(doc, preset);
    const compiled = compile(doc);
    if (!compiled.program) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    program = new TrainingProgram(tf, compiled.program, nodeData);
    const ck = readCheckpoint(checkpoint);
    await restoreCheckpoint(program, ck.manifest, ck.data);
  } catch (e) {
    // Said plainly, as the CLI does: uncaught, it would print the wasm backend's minified source line.
    fail('', e);
  }
  let draw = 1;
  const call = (node: string, inputs: Record<string, Value>, training = false) => {
    const ctx: ForwardCtx = {
      tf,
      training,
      batchSize: firstDim(inputs),
      step: 0,
      nextSeed: () => 7919 * draw++,
    };
    return program.impls.get(node)!.forward(inputs, ctx) as Record<string, Value>;
  };
  return { program, call };
}

function firstDim(inputs: Record<string, Value>): number {
  for (const v of Object.values(inputs)) if ('shape' in v) return (v as Tensor).shape[0]!;
  return 1;
}

/**
 * The script's options. `--help` lists them; a wrong or missing one is named, without a stack trace
 * (the usage with an example is the comment at the top of each script).
 */
export function args(options: ParseArgsOptionsConfig, required: string[] = ['checkpoint']) {
  const usage = () =>
    Object.entries(options)
      .map(
        ([name, o]) =>
          `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.default !== undefined ? ` (default ${String(o.default)})` : ''}`,
      )
      .join('\n');
  if (process.argv.includes('--help')) {
    console.log(`options:\n${usage()}`);
    process.exit(0);
  }
  try {
    const values = parseArgs({ options, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
    const missing = required.filter((name) => values[name] === undefined);
    if (missing.length) throw new UsageError(`${missing.map((m) => `--${m}`).join(', ')} is required`);
    return values;
  } catch (e) {
    fail(`options:\n${usage()}`, e);
  }
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(JSON.stringify(value, null, 2));
}

export { tf };

/** A sample score as the eval files report it, rounded to 3 decimals. */
export function sampleScoreFields(score: SampleScore) {
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return {
    fd: r3(score.fd),
    fdBlur: r3(score.fdBlur),
    fdBlurRatio: r3(score.fdBlurRatio),
    fdRealTrain: r3(score.fdRealTrain),
    confidentShare: r3(score.confidentShare),
    classShares: score.classShares.map(r3),
    copyShare: score.copyShare,
  };
}

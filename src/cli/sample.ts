import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type * as tfjs from '@tensorflow/tfjs';
import { compile } from '../core/compiler/compile';
import { formatDiagnostic, hasErrors } from '../core/diagnostics';
import type { GraphDocument, PortRef } from '../core/document/schema';
import { getKind } from '../core/kinds/registry';
import { isTensorValue } from '../core/kinds/types';
import { restoreCheckpoint } from '../runtime/checkpoint';
import { TrainingProgram } from '../runtime/program';
import { readCheckpoint } from './checkpoint-files';
import {
  UsageError,
  fail,
  nodeData,
  positiveInt,
  readDocument,
  setupBackend,
  tf,
  threadsOption,
} from './common';
import { encodeNpy } from './npy';

const USAGE = `usage: npm run sample -- <document.json | template id> --checkpoint DIR --n N --out FILE.npy [options]

  --output NAME          which named output to sample (default: samples)
  --code K               InfoGAN: fix the categorical code to K (codes.npy beside FILE records each code)
  --translate AtoB|BtoA  CycleGAN: translate real images; writes FILE (translations),
                         FILE.inputs.npy and FILE.cycles.npy (there and back)
  --from train|test      CycleGAN: which split the inputs come from (default: test)
  --trajectory           DDPM: also write FILE.trajectory.npy, snapshots from x_T to x_0 [11, N, ...]
  --seed S               sampling seed (default: the document's)
  --batch B              samples per forward pass (default: 250)
  --backend NAME         wasm (default), cpu or webgpu
  --threads N            wasm threads, 1–8 (default: every core)
  --preset NAME[,NAME]   apply presets first (as the run that made the checkpoint did)

Images are written as float32 [N, H, W] (one channel) or [N, H, W, C] with values in [0, 1];
points as [N, D].`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string' },
      n: { type: 'string' },
      out: { type: 'string' },
      output: { type: 'string', default: 'samples' },
      code: { type: 'string' },
      translate: { type: 'string' },
      from: { type: 'string', default: 'test' },
      trajectory: { type: 'boolean', default: false },
      seed: { type: 'string' },
      batch: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string' },
      preset: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (console.log(USAGE), 0);
  if (positionals.length !== 1) throw new UsageError('give exactly one document');
  if (!values.checkpoint || !values.out || !values.n)
    throw new UsageError('--checkpoint, --n and --out are required');
  const n = positiveInt(values.n, '--n')!;
  if (n < 1) throw new UsageError('--n must be at least 1');
  const batch = positiveInt(values.batch, '--batch') ?? 250;
  if (values.translate && !['AtoB', 'BtoA'].includes(values.translate))
    throw new UsageError('--translate is AtoB or BtoA');
  if (!['train', 'test'].includes(values.from!)) throw new UsageError('--from is train or test');
  const code = positiveInt(values.code, '--code');

  const doc = readDocument(positionals[0]!, values.preset);

  const ckpt = readCheckpoint(values.checkpoint);
  for (const [id, node] of Object.entries(doc.nodes)) {
    if (code !== undefined && (node.kind === 'sample.infogan_code' || node.kind === 'sample.categorical')) {
      const params = getKind(node.kind)!.params.parse(node.params) as {
        categories?: number;
        classes?: number;
      };
      const k = params.categories ?? params.classes!;
      if (code >= k)
        throw new UsageError(`--code ${code}: node '${node.label ?? id}' has categories 0 to ${k - 1}`);
      node.params.fixed = code;
    }
    if (values.translate && node.kind === 'data.mnist_domains') node.params.split = values.from;
  }
  const names = values.translate
    ? [values.translate, values.translate.slice(0, 1), `${values.translate}to${values.translate.slice(0, 1)}`]
    : [values.output!];
  const refs = names.map((name) => {
    const ref = doc.outputs[name];
    if (!ref)
      throw new UsageError(
        `the document has no output '${name}' (it has: ${Object.keys(doc.outputs).join(', ') || 'none'})`,
      );
    return ref;
  });
  const codeRef = infoganCode(doc);
  if (codeRef) refs.push(codeRef);

  await setupBackend(values.backend!, threadsOption(values.threads));
  const compiled = compile(doc);
  for (const d of compiled.diagnostics)
    if (d.severity === 'error') process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(compiled.diagnostics) || !compiled.program) return 1;
  const program = new TrainingProgram(
    tf,
    compiled.program,
    nodeData,
    positiveInt(values.seed, '--seed') ?? doc.training.seed,
  );
  await restoreCheckpoint(program, ckpt.manifest, ckpt.data);

  const parts: Float32Array[][] = refs.map(() => []);
  const snaps: Float32Array[][] = [];
  const shapes: number[][] = [];
  for (let done = 0, chunk = 0; done < n; chunk++) {
    const size = Math.min(batch, n - done);
    const trajectory: tfjs.Tensor[] = [];
    const outs = program.evaluate(
      refs,
      size,
      `sample/${chunk}`,
      values.trajectory ? (_k, t) => trajectory.push(t) : undefined,
    );
    for (const [i, v] of outs.entries()) {
      if (!isTensorValue(v)) throw new UsageError(`output '${names[i] ?? 'code'}' is not a tensor`);
      shapes[i] = v.shape.slice(1);
      parts[i]!.push(Float32Array.from(await v.data()));
    }
    trajectory.forEach((t, k) => (snaps[k] ??= []).push(Float32Array.from(t.dataSync())));
    tf.dispose([...(outs as tfjs.Tensor[]), ...trajectory]);
    done += size;
  }
  const scale = pixelRange(doc) === '-1..1';
  const write = (file: string, chunks: Float32Array[], shape: number[], lead: number[] = [n]) => {
    const data = concat(chunks);
    const isImage = shape.length === 3;
    if (isImage && scale)
      for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, (data[i]! + 1) / 2));
    const dims = isImage && shape[2] === 1 ? shape.slice(0, 2) : shape;
    writeFileSync(file, encodeNpy(data, [...lead, ...dims]));
  };
  mkdirSync(dirname(values.out), { recursive: true });
  const stem = values.out.replace(/\.npy$/, '');
  write(values.out, parts[0]!, shapes[0]!);
  if (values.translate) {
    write(`${stem}.inputs.npy`, parts[1]!, shapes[1]!);
    write(`${stem}.cycles.npy`, parts[2]!, shapes[2]!);
  }
  if (codeRef) {
    const onehot = concat(parts[refs.length - 1]!);
    const k = shapes[refs.length - 1]![0]!;
    const codes = Float32Array.from({ length: n }, (_, i) => argmax(onehot.subarray(i * k, (i + 1) * k)));
    writeFileSync(`${stem.replace(/[^/]*$/, '')}codes.npy`, encodeNpy(codes, [n]));
  }
  if (values.trajectory) {
    if (snaps.length === 0) throw new UsageError('--trajectory: this graph has no reverse sampler to record');
    write(`${stem}.trajectory.npy`, snaps.flat(), shapes[0]!, [snaps.length, n]);
  }
  program.dispose();
  process.stderr.write(`wrote ${n} samples to ${values.out}\n`);
  return 0;
}

function infoganCode(doc: GraphDocument): PortRef | undefined {
  const id = Object.keys(doc.nodes).find((k) => doc.nodes[k]!.kind === 'sample.infogan_code');
  return id ? { node: id, port: 'cat' } : undefined;
}

/** The graph's pixel range, from its image data source. */
function pixelRange(doc: GraphDocument): string {
  const src = Object.values(doc.nodes).find(
    (x) => x.kind === 'data.mnist' || x.kind === 'data.mnist_domains',
  );
  if (!src) return '0..1';
  return String(src.params.range ?? (src.kind === 'data.mnist_domains' ? '-1..1' : '0..1'));
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

main().then(
  (code) => process.exit(code),
  (e) => fail(USAGE, e),
);

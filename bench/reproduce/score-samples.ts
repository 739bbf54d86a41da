/**
 * Scores samples made elsewhere (a PyTorch reference run, say) with the same measures the templates'
 * scorers report: Fréchet distance on our classifier's features and its ratio to blurred real digits,
 * the confident share, each digit's share and the copy check.
 *   npx tsx bench/reproduce/score-samples.ts FILE.f32|FILE.npy [--out FILE.json]
 * A .f32 file is raw float32, 784 pixels in [0, 1] per sample; a .npy file holds [N, 784] or [N, 28, 28]
 * float32 in [0, 1].
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeNpy } from '../../src/cli/npy';
import { setupBackend } from '../../src/cli/common';
import { scoreSamples } from '../../src/runtime/scoring/metrics';
import { sampleScoreFields, writeJson } from './common';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const file = positionals[0];
if (!file) throw new Error('usage: score-samples.ts FILE.f32|FILE.npy [--out FILE.json]');
const bytes = readFileSync(file);
const data = file.endsWith('.npy')
  ? decodeNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).data
  : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
if (data.length === 0 || data.length % 784 !== 0) {
  throw new Error(`${file}: ${data.length} values is not a whole number of 28×28 samples`);
}
let outside = 0;
for (const v of data) if (!(v >= 0 && v <= 1)) outside++;
if (outside > 0) throw new Error(`${file}: ${outside} values outside [0, 1]; pixels must be in [0, 1]`);
await setupBackend('wasm', 1);
const score = scoreSamples(data);
writeJson(values.out ?? file.replace(/\.(f32|npy)$/, '.eval.json'), {
  file,
  samples: data.length / 784,
  ...sampleScoreFields(score),
});

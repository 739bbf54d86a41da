/**
 * InfoGAN bars: the categorical code read as a digit classifier (Q head on the 10k test digits, codes
 * matched to digits by the Hungarian method) ≥ 0.80; generated samples agree with their code (our
 * classifier's digit, codes matched the same way) ≥ 0.80; samples' Fréchet distance ≤ 0.25 × blur.
 *   npx tsx bench/reproduce/infogan.ts --checkpoint runs/infogan-scaled-seed1/checkpoint --preset scaled
 * Networks run in inference mode (batch norm with its running statistics).
 */
import type { Tensor } from '../../src/core/kinds/types';
import { loadMnistNode } from '../../src/runtime/data/mnist-node';
import { classify, loadClassifier } from '../../src/runtime/scoring/classifier';
import { scoreSamples } from '../../src/runtime/scoring/metrics';
import { hungarianMax } from './hungarian';
import { args, loadTrained, sampleScoreFields, tf, writeJson } from './common';

const a = args({
  checkpoint: { type: 'string' },
  doc: { type: 'string', default: 'templates/infogan.json' },
  preset: { type: 'string' },
  out: { type: 'string' },
  n: { type: 'string', default: '10000' },
});
const { call } = await loadTrained(a.doc as string, a.checkpoint as string, a.preset as string | undefined);
const t0 = performance.now();
const K = 10;
const NOISE = 62;
const CONT = 2;

/** Confusion counts [code][digit] → the code→digit map that agrees most, and that agreement. */
function matched(confusion: number[][], total: number): { map: number[]; accuracy: number } {
  const map = hungarianMax(confusion);
  const hits = map.reduce((s, digit, code) => s + confusion[code]![digit]!, 0);
  return { map, accuracy: hits / total };
}

// 1. Q's category on real test digits.
const test = loadMnistNode('test');
const N = test.count;
const qConfusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
for (let s = 0; s < N; s += 500) {
  const n = Math.min(500, N - s);
  const codes = tf.tidy(() => {
    const x = tf.div(
      tf.tensor4d(test.images.subarray(s * 784, (s + n) * 784), [n, 28, 28, 1], 'float32'),
      255,
    );
    return tf.argMax(call('D', { x }).q_cat as Tensor, 1).dataSync();
  });
  for (let i = 0; i < n; i++) qConfusion[codes[i]!]![test.labels[s + i]!]!++;
}
const q = matched(qConfusion, N);

// 2. Generated samples: 1,000 per category code, read by our classifier.
function generate(n: number, code: (i: number) => number, seed: number): Float32Array {
  return tf.tidy(() => {
    const idx = tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => code(i)),
      'int32',
    );
    const z = tf.concat(
      [
        tf.randomNormal([n, NOISE], 0, 1, 'float32', seed),
        tf.oneHot(idx, K).toFloat(),
        tf.randomUniform([n, CONT], -1, 1, 'float32', seed + 1),
      ],
      1,
    );
    return Float32Array.from((call('G', { z }).x as Tensor).dataSync());
  });
}
const classifier = loadClassifier();
const gConfusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
for (let k = 0; k < K; k++) {
  const { probs } = classify(
    generate(1000, () => k, 100 + 2 * k),
    { classifier },
  );
  for (let i = 0; i < 1000; i++) {
    let best = 0;
    for (let j = 1; j < K; j++) if (probs[i * K + j]! > probs[i * K + best]!) best = j;
    gConfusion[k]![best]!++;
  }
}
const g = matched(gConfusion, K * 1000);
const gUnderQ = q.map.reduce((s, digit, code) => s + gConfusion[code]![digit]!, 0) / (K * 1000);

// 3. Sample quality, codes drawn uniformly as in training.
const n = Number(a.n);
const samples = new Float32Array(n * 784);
for (let s = 0; s < n; s += 1000) {
  const m = Math.min(1000, n - s);
  samples.set(
    generate(m, (i) => (s + i) % K, 500 + s),
    s * 784,
  );
}
const score = scoreSamples(samples, { classifier });

// The accuracies are counts over 10,000 digits, written unrounded: 0.7996 must not read as 0.8.
writeJson((a.out as string) ?? `${String(a.checkpoint).replace(/\/checkpoint\/?$/, '')}/eval.json`, {
  qAccuracy: q.accuracy,
  qCodeToDigit: q.map,
  // Rows: Q's category; columns: the true digit. Shows which digits share a category.
  qConfusion,
  samplesAgreeWithCode: g.accuracy,
  samplesCodeToDigit: g.map,
  samplesAgreeUnderQMap: gUnderQ,
  ...sampleScoreFields(score),
  seconds: Math.round((performance.now() - t0) / 1000),
  bars: { qAccuracy: '≥ 0.80', samplesAgreeWithCode: '≥ 0.80', fdBlurRatio: '≤ 0.25' },
});

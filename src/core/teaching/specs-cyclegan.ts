import type { ObjectiveSpec, TermSpec } from './specs';
import {
  E,
  discriminatorSay,
  discriminatorTex,
  formOf,
  generatorSay,
  generatorTex,
  weighted,
  weightOf,
} from './tex';

/** CycleGAN's objective: two least-squares GANs plus cycle-consistency and identity terms. */
const ADV = 'loss.adversarial';

const l1 = (id: string, node: string, kind: string, expr: string, sub: string, say: string): TermSpec => ({
  id,
  node,
  kind,
  tex: (p) => weighted(weightOf(p), E(sub, `\\tfrac{1}{d}\\lVert ${expr} \\rVert_1`)),
  say: () => say,
});

export const cyclegan: ObjectiveSpec = {
  title: 'CycleGAN: two least-squares GANs, plus cycle-consistency and identity losses',
  blocks: [
    {
      lhs: '\\min_{G,\\,F}',
      rows: [
        ['advG', 'advF'],
        ['cycA', 'cycB'],
        ['idtA', 'idtB'],
      ],
    },
    { lhs: '\\min_{D_A,\\,D_B}', rows: [['lossDB'], ['lossDA']] },
  ],
  terms: [
    {
      id: 'advG',
      node: 'advG',
      kind: ADV,
      tex: (p) => weighted(weightOf(p), generatorTex(formOf(p), { D: 'D_B', fake: 'G(a)', fakeSub: 'a' })),
      say: (p) => generatorSay(formOf(p), 'G: A → B', 'D_B', 'G(a)'),
    },
    {
      id: 'advF',
      node: 'advF',
      kind: ADV,
      tex: (p) => weighted(weightOf(p), generatorTex(formOf(p), { D: 'D_A', fake: 'F(b)', fakeSub: 'b' })),
      say: (p) => generatorSay(formOf(p), 'F: B → A', 'D_A', 'F(b)'),
    },
    l1(
      'cycA',
      'cycA',
      'loss.cycle',
      'F(G(a)) - a',
      'a',
      'An A image translated to B and back, F(G(a)), must come back as it was (mean absolute error).',
    ),
    l1(
      'cycB',
      'cycB',
      'loss.cycle',
      'G(F(b)) - b',
      'b',
      'A B image translated to A and back, G(F(b)), must come back as it was (mean absolute error).',
    ),
    l1(
      'idtA',
      'idtA',
      'loss.identity',
      'F(a) - a',
      'a',
      'F, which translates into A, should leave an image that is already in A unchanged.',
    ),
    l1(
      'idtB',
      'idtB',
      'loss.identity',
      'G(b) - b',
      'b',
      'G, which translates into B, should leave an image that is already in B unchanged.',
    ),
    {
      id: 'lossDB',
      node: 'lossDB',
      kind: ADV,
      tex: (p) =>
        weighted(
          weightOf(p),
          discriminatorTex(formOf(p), {
            D: 'D_B',
            real: 'b',
            realSub: 'b',
            fake: '\\tilde b',
            fakeSub: '\\tilde b',
          }),
          true,
        ),
      say: (p) => discriminatorSay(formOf(p), 'D_B', 'real B images', 'translations G(a) drawn from a pool'),
    },
    {
      id: 'lossDA',
      node: 'lossDA',
      kind: ADV,
      tex: (p) =>
        weighted(
          weightOf(p),
          discriminatorTex(formOf(p), {
            D: 'D_A',
            real: 'a',
            realSub: 'a',
            fake: '\\tilde a',
            fakeSub: '\\tilde a',
          }),
          true,
        ),
      say: (p) => discriminatorSay(formOf(p), 'D_A', 'real A images', 'translations F(b) drawn from a pool'),
    },
  ],
  note: () =>
    'ã and b̃ are earlier translations F(b) and G(a) drawn from pools of past fakes; d is the number of pixels; D_A and D_B score patches, so their expectations also average over patches.',
};

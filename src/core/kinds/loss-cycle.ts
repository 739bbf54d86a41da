import { expectTensor } from './types';
import { defineLoss, pairCheck } from './loss-common';

export const cycle = defineLoss(
  {
    kind: 'loss.cycle',
    title: 'Cycle consistency',
    summary: '‖F(G(x)) − x‖₁: translating there and back returns the input',
    doc:
      'The constraint that makes unpaired translation work (Zhu et al. 2017): an image translated to the ' +
      'other domain and back should come back unchanged. Without it, G could map every A image to any B ' +
      'image that fools the discriminator; with it, G must keep the content. Mean absolute error, weighted ' +
      'λ_cycle = 10 in CycleGAN.',
  },
  {},
  () => [
    { name: 'x', type: 'data', doc: 'the original' },
    { name: 'cycled', type: 'data', doc: 'after translating there and back' },
  ],
  pairCheck('x', 'cycled'),
  (tf, _p, i) => tf.mean(tf.abs(tf.sub(expectTensor(i.cycled, 'cycled'), expectTensor(i.x, 'x')))),
  10,
);

export const identity = defineLoss(
  {
    kind: 'loss.identity',
    title: 'Identity loss',
    summary: '‖G(y) − y‖₁: an image already in the target domain stays as it is',
    doc:
      'Asks a translator to leave images of its own target domain unchanged (G: A → B applied to a B ' +
      'image). CycleGAN adds it with weight λ_identity = 0.5 (relative to λ_cycle) to keep colours and ' +
      'overall intensity from drifting.',
  },
  {},
  () => [
    { name: 'x', type: 'data', doc: 'an image of the target domain' },
    { name: 'mapped', type: 'data', doc: 'the translator applied to it' },
  ],
  pairCheck('x', 'mapped'),
  (tf, _p, i) => tf.mean(tf.abs(tf.sub(expectTensor(i.mapped, 'mapped'), expectTensor(i.x, 'x')))),
  5,
);

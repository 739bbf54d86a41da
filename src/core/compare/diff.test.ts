import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import type { GraphDocument } from '../document/schema';
import { TEMPLATES, templateById } from '../templates';
import type { GraphDiff } from './diff';
import { diffGraphs } from './diff';

const load = (id: string): GraphDocument => {
  const r = loadDocument(structuredClone(templateById(id)!.json));
  expect(r.doc, id).toBeDefined();
  return r.doc!;
};

/** Every node, wire and phase of both graphs is classified exactly once, and pairs agree. */
function expectConsistent(diff: GraphDiff, a: GraphDocument, b: GraphDocument) {
  expect(Object.keys(diff.nodes.a).sort()).toEqual(Object.keys(a.nodes).sort());
  expect(Object.keys(diff.nodes.b).sort()).toEqual(Object.keys(b.nodes).sort());
  const pa = diff.nodes.pairs.map(([x]) => x);
  const pb = diff.nodes.pairs.map(([, y]) => y);
  expect(new Set(pa).size).toBe(pa.length);
  expect(new Set(pb).size).toBe(pb.length);
  for (const [x, y] of diff.nodes.pairs) {
    expect(a.nodes[x]!.kind).toBe(b.nodes[y]!.kind);
    expect(['same', 'changed']).toContain(diff.nodes.a[x]);
    expect(diff.nodes.b[y]).toBe(diff.nodes.a[x]);
    expect(diff.nodes.changes[y] !== undefined).toBe(diff.nodes.b[y] === 'changed');
  }
  for (const [id, s] of Object.entries(diff.nodes.a)) expect(s === 'removed').toBe(!pa.includes(id));
  for (const [id, s] of Object.entries(diff.nodes.b)) expect(s === 'added').toBe(!pb.includes(id));
  expect(Object.keys(diff.edges.a).sort()).toEqual(Object.keys(a.edges).sort());
  expect(Object.keys(diff.edges.b).sort()).toEqual(Object.keys(b.edges).sort());
  for (const [x, y] of diff.edges.pairs) {
    expect(diff.edges.a[x]).toBe('same');
    expect(diff.edges.b[y]).toBe('same');
  }
  expect(Object.values(diff.edges.a).filter((s) => s === 'same').length).toBe(diff.edges.pairs.length);
  expect(Object.values(diff.edges.b).filter((s) => s === 'same').length).toBe(diff.edges.pairs.length);
  expect(Object.keys(diff.phases.a).sort()).toEqual(a.training.phases.map((p) => p.id).sort());
  expect(Object.keys(diff.phases.b).sort()).toEqual(b.training.phases.map((p) => p.id).sort());
  expect(diff.phases.list.length).toBe(
    a.training.phases.length + b.training.phases.length - diff.phases.pairs.length,
  );
  expect(diff.summary.length).toBeGreaterThan(0);
  for (const s of diff.summary) expect(s).not.toMatch(/undefined|NaN|\[object/);
}

describe('diffing two graphs', () => {
  it('finds a graph identical to itself, for every template', () => {
    for (const t of TEMPLATES) {
      const doc = load(t.id);
      const d = diffGraphs(doc, load(t.id));
      expectConsistent(d, doc, doc);
      expect(
        Object.values(d.nodes.a).every((s) => s === 'same'),
        t.id,
      ).toBe(true);
      expect(d.nodes.pairs.every(([x, y]) => x === y)).toBe(true);
      expect(Object.values(d.edges.b).every((s) => s === 'same')).toBe(true);
      expect(Object.values(d.phases.b).every((s) => s === 'same')).toBe(true);
      expect(d.nodes.changes).toEqual({});
      expect(d.summary).toHaveLength(1);
      expect(d.summary[0]).toMatch(/identical/);
    }
  });

  it('explains VAE → AAE: the KL loss replaced by a discriminator on z', () => {
    const vae = load('vae');
    const aae = load('aae');
    const d = diffGraphs(vae, aae);
    expectConsistent(d, vae, aae);
    expect(d.nodes.a).toMatchObject({ kl: 'removed', z: 'removed', enc: 'changed', gen: 'same' });
    expect(d.nodes.b).toMatchObject({ Dprior: 'added', Dcode: 'added', lossD: 'added', lossG: 'added' });
    expect(d.nodes.pairs).toContainEqual(['enc', 'enc']);
    expect(d.nodes.changes.enc).toContain('head');
    expect(d.nodes.changes.enc).toContain('latent');
    expect(d.edges.a).toMatchObject({ e1: 'same', e2: 'removed', e6: 'removed' });
    expect(d.edges.b).toMatchObject({ e1: 'same', e2: 'added', e6: 'added' });
    expect(d.phases.pairs).toEqual([['elbo', 'ae']]);
    expect(d.phases.b).toEqual({ ae: 'changed', d: 'added' });
    const ae = d.phases.list.find((p) => p.b === 'ae')!;
    expect(ae).toMatchObject({ lossesAdded: ['lossG'], lossesRemoved: ['kl'], trainsAdded: [] });
    expect(d.phases.list.find((p) => p.b === 'd')).toMatchObject({
      status: 'added',
      trainsAdded: ['Dprior'],
    });
    expect(d.replacements).toContainEqual({
      why: 'loss',
      a: ['kl'],
      b: ['Dprior', 'Dcode', 'lossD', 'lossG'],
    });
    expect(d.replacements).toContainEqual({ why: 'bypass', a: ['z'], b: [] });

    expect(d.summary[0]).toBe(
      '4 nodes added, 2 removed, 5 changed; 6 wires added, 3 removed; 1 training phase added, 0 removed, 1 changed.',
    );
    expect(d.summary).toContain(
      'AAE replaces the KL to N(0, I) loss "KL(q(z|x) ‖ p(z))" on the output of Encoder q(z|x) with a ' +
        'discriminator "D (prior z)" that tells the output of Encoder from samples from Prior p(z), trained by ' +
        'the adversarial losses "D loss" and "Encoder fools D".',
    );
    expect(d.summary.find((s) => s.startsWith('Encoder:'))).toMatch(/head from gaussian to deterministic/);
    expect(d.summary).toContain(
      'AAE adds a training phase "D step" that trains D (prior z) to minimise D loss.',
    );
  });

  it('gives exactly the differences of a user edit: one param changed, one node deleted', () => {
    const vae = load('vae');
    const mine = load('vae');
    mine.nodes.dec!.params = { ...mine.nodes.dec!.params, hidden: [256] };
    delete mine.nodes.kl;
    delete mine.edges.e6;
    mine.training.phases[0]!.losses = ['rec'];
    const d = diffGraphs(vae, mine, { nameA: 'the VAE template', nameB: 'your graph' });
    expectConsistent(d, vae, mine);
    expect(d.nodes.a).toEqual({
      data: 'same',
      enc: 'same',
      z: 'same',
      dec: 'changed',
      rec: 'same',
      kl: 'removed',
      prior: 'same',
      gen: 'same',
    });
    expect(Object.values(d.nodes.b).filter((s) => s !== 'same')).toEqual(['changed']);
    expect(d.nodes.changes).toEqual({ dec: ['hidden'] });
    expect(Object.entries(d.edges.a).filter(([, s]) => s !== 'same')).toEqual([['e6', 'removed']]);
    expect(Object.values(d.edges.b).every((s) => s === 'same')).toBe(true);
    expect(d.phases.list).toEqual([
      {
        a: 'elbo',
        b: 'elbo',
        status: 'changed',
        lossesAdded: [],
        lossesRemoved: ['kl'],
        trainsAdded: [],
        trainsRemoved: [],
        settings: [],
      },
    ]);
    expect(d.training).toEqual([]);
    expect(d.summary).toEqual([
      '0 nodes added, 1 removed, 1 changed; 0 wires added, 1 removed; 0 training phases added, 0 removed, 1 changed.',
      'Your graph drops the KL to N(0, I) loss "KL(q(z|x) ‖ p(z))".',
      'Decoder p(x|z): hidden changed from [400] to [256].',
      'Training phase "Maximise the ELBO": no longer minimises KL(q(z|x) ‖ p(z)).',
    ]);
  });

  it('matches nodes by their role when every id and label differs', () => {
    const vae = load('vae');
    const renamed = load('vae');
    const re = (id: string) => `n_${id}`;
    renamed.nodes = Object.fromEntries(
      Object.entries(vae.nodes).map(([id, n]) => {
        const { label: _label, ...rest } = n;
        return [re(id), { ...rest, ...(n.shares ? { shares: re(n.shares) } : {}) }];
      }),
    );
    renamed.edges = Object.fromEntries(
      Object.entries(vae.edges).map(([id, e]) => [
        `w_${id}`,
        {
          source: { ...e.source, node: re(e.source.node) },
          target: { ...e.target, node: re(e.target.node) },
        },
      ]),
    );
    renamed.training.phases = vae.training.phases.map((p) => ({
      ...p,
      id: 'train',
      losses: p.losses.map(re),
      trains: p.trains.map(re),
    }));
    const d = diffGraphs(vae, renamed);
    expectConsistent(d, vae, renamed);
    expect(d.nodes.pairs.map(([x, y]) => [re(x), y])).toEqual(d.nodes.pairs.map(([, y]) => [y, y]));
    expect(Object.values(d.nodes.b).every((s) => s === 'same')).toBe(true);
    expect(Object.values(d.edges.a).every((s) => s === 'same')).toBe(true);
    expect(d.phases.b).toEqual({ train: 'same' });
    expect(d.summary).toEqual([
      'The first graph and the second graph are identical: the same nodes, parameters, wires and training phases.',
    ]);
  });

  it('explains GAN → InfoGAN: a code in place of the noise, and information losses', () => {
    const gan = load('gan-2d');
    const info = load('infogan');
    const d = diffGraphs(gan, info);
    expectConsistent(d, gan, info);
    expect(d.nodes.a).toMatchObject({ z: 'removed', data: 'removed', G: 'changed', Dfake: 'same' });
    expect(d.nodes.b).toMatchObject({ code: 'added', miCat: 'added', miCont: 'added', D: 'changed' });
    expect(d.nodes.changes.D).toContain('qHead');
    expect(d.replacements).toContainEqual({ why: 'role', a: ['z'], b: ['code'] });
    expect(d.summary).toContain(
      'InfoGAN replaces the gaussian noise "Noise z" with the InfoGAN code "z ‖ c", as the input of Generator G.',
    );
    expect(d.phases.list.find((p) => p.b === 'g')).toMatchObject({ lossesAdded: ['miCat', 'miCont'] });
  });

  it('explains GAN → CycleGAN and VAE → DDPM from the graphs alone', () => {
    const gan = load('gan-2d');
    const cyc = load('cyclegan');
    const d = diffGraphs(gan, cyc);
    expectConsistent(d, gan, cyc);
    expect(d.nodes.pairs).toContainEqual(['D', 'D_B']);
    expect(d.nodes.a.G).toBe('removed');
    expect(d.replacements).toContainEqual({ why: 'role', a: ['G'], b: ['G_AB', 'G_cyc', 'G_idt'] });
    expect(d.summary.some((s) => s.includes('cycle consistency loss "Cycle A"'))).toBe(true);

    const vae = load('vae');
    const ddpm = load('ddpm');
    const e = diffGraphs(vae, ddpm);
    expectConsistent(e, vae, ddpm);
    expect(e.nodes.pairs).toEqual([['data', 'data']]);
    expect(e.phases.list.map((p) => p.status)).toEqual(['added', 'removed']);
    expect(e.summary).toContain(
      'DDPM minimises the noise prediction MSE loss "‖ε − ε_θ‖²" instead of the reconstruction loss ' +
        '"Reconstruction −log p(x|z)" and the KL to N(0, I) loss "KL(q(z|x) ‖ p(z))".',
    );
  });

  it('is consistent for every ordered pair of templates', () => {
    for (const x of TEMPLATES) {
      for (const y of TEMPLATES) {
        const a = load(x.id);
        const b = load(y.id);
        expectConsistent(diffGraphs(a, b), a, b);
      }
    }
  });
});

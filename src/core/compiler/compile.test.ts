import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import type { GraphDocument } from '../document/schema';
import { TEMPLATES, templateById } from '../templates';
import { compile } from './compile';

const vae = (): GraphDocument => loadDocument(structuredClone(TEMPLATES[0]!.json)).doc!;

describe('compiling a graph', () => {
  it('turns the VAE into one phase that sums reconstruction and KL and trains encoder and decoder', () => {
    const r = compile(vae());
    expect(r.diagnostics).toEqual([]);
    const [ph] = r.program!.phases;
    expect(ph!.losses).toEqual([
      { node: 'rec', weight: 1 },
      { node: 'kl', weight: 1 },
    ]);
    expect(ph!.trains).toEqual(['enc', 'dec']);
    // The prior and its decoder are not part of a training step.
    expect(ph!.schedule).not.toContain('prior');
    expect(ph!.schedule).not.toContain('gen');
    expect(ph!.schedule.indexOf('enc')).toBeLessThan(ph!.schedule.indexOf('dec'));
    // Training reads the train split; the test split is loaded for the views (latent map of held-out digits).
    expect(r.program!.datasets).toEqual(['mnist-test', 'mnist-train']);
    expect(r.program!.nodes.gen!.owner).toBe('dec');
  });

  it('refuses a phase that trains a network none of its losses depend on', () => {
    const doc = vae();
    doc.training.phases[0]!.losses = ['kl'];
    const d = compile(doc).diagnostics.find((x) => x.code === 'bad-phase')!;
    expect(d).toMatchObject({ phase: 'elbo', node: 'dec' });
    expect(d.message).toBe("phase 'elbo' trains Decoder p(x|z), but none of its losses depend on it");
  });

  it('refuses a loss that is not a loss node, and a network named by its weight-sharing copy', () => {
    const doc = vae();
    doc.training.phases[0]!.losses = ['rec', 'enc'];
    doc.training.phases[0]!.trains = ['enc', 'gen'];
    const msgs = compile(doc).diagnostics.map((d) => d.message);
    expect(msgs).toContain("phase 'elbo' lists Encoder q(z|x) as a loss, but it is not a loss node");
    expect(msgs).toContain(
      "phase 'elbo' trains Decoder (samples), which uses the weights of Decoder p(x|z): list 'dec' instead",
    );
  });

  it('warns about a network that feeds a loss but is never trained', () => {
    const doc = vae();
    doc.training.phases[0]!.trains = ['enc'];
    const r = compile(doc);
    expect(r.program).toBeDefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'never-trained', node: 'dec' }),
    ]);
  });

  it('without phases, trains every network on the sum of every loss', () => {
    const doc = vae();
    doc.training.phases = [];
    const r = compile(doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.program!.phases).toHaveLength(1);
    expect(r.program!.phases[0]!.losses.map((l) => l.node).sort()).toEqual(['kl', 'rec']);
    expect([...r.program!.phases[0]!.trains].sort()).toEqual(['dec', 'enc']);
  });

  it('needs a loss before there is anything to train', () => {
    const doc = vae();
    doc.training.phases = [];
    for (const id of ['kl', 'rec']) delete doc.nodes[id];
    for (const [eid, e] of Object.entries(doc.edges))
      if (['kl', 'rec'].includes(e.target.node)) delete doc.edges[eid];
    expect(compile(doc).diagnostics[0]).toMatchObject({ code: 'no-phases', field: 'training.phases' });
  });

  it('warns when one implicit phase would train a GAN on both of its losses', () => {
    const doc = loadDocument(templateById('gan-2d')!.json).doc!;
    doc.training.phases = [];
    expect(compile(doc).diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'implicit-adversarial' }),
    ]);
  });

  it('reports an output that points nowhere', () => {
    const doc = vae();
    doc.outputs.samples = { node: 'gen', port: 'y' };
    expect(compile(doc).diagnostics[0]).toMatchObject({
      code: 'bad-output',
      field: 'outputs.samples',
      node: 'gen',
    });
  });

  it('stops at graph errors and reports them on the node', () => {
    const doc = vae();
    delete doc.edges.e2;
    const r = compile(doc);
    expect(r.program).toBeUndefined();
    expect(r.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'missing-input', node: 'z' })]),
    );
  });
});

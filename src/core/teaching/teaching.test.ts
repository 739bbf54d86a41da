import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import type { GraphDocument } from '../document/schema';
import { TEMPLATES } from '../templates';
import { OBJECTIVES, objectiveFor, renderObjective } from './objectives';
import { phaseSummaries } from './phases';

function load(id: string): GraphDocument {
  const t = TEMPLATES.find((e) => e.id === id);
  if (!t) throw new Error(`no template ${id}`);
  const doc = loadDocument(t.json).doc;
  if (!doc) throw new Error(`template ${id} does not load`);
  return doc;
}

const lossNodes = (doc: GraphDocument) =>
  Object.keys(doc.nodes).filter((id) => doc.nodes[id]!.kind.startsWith('loss.'));

/** The user deletes a node: its wires go, and phases stop naming it (a phase left empty goes too). */
function deleteNode(doc: GraphDocument, id: string): GraphDocument {
  const d = structuredClone(doc);
  delete d.nodes[id];
  for (const [eid, e] of Object.entries(d.edges)) {
    if (e.source.node === id || e.target.node === id) delete d.edges[eid];
  }
  d.training.phases = d.training.phases
    .map((p) => ({ ...p, losses: p.losses.filter((l) => l !== id) }))
    .filter((p) => p.losses.length > 0);
  return d;
}

const dataTerms = (html: string) => [...html.matchAll(/data-term="([^"]*)"/g)].map((m) => m[1]);

function expectWellFormed(doc: GraphDocument, o: NonNullable<ReturnType<typeof objectiveFor>>) {
  const ids = o.terms.map((t) => t.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const t of o.terms) {
    expect(t.nodes.length).toBeGreaterThan(0);
    for (const n of t.nodes) {
      expect(doc.nodes[n], `${o.template}: term ${t.id} → ${n}`).toBeDefined();
      expect(doc.nodes[n]!.kind.startsWith('loss.')).toBe(true);
    }
    expect(t.tex.startsWith(`\\htmlData{term=${t.id}}{`)).toBe(true);
    expect(o.tex).toContain(t.tex);
    expect(t.say.length).toBeGreaterThan(10);
  }
  const html = renderObjective(o);
  const rendered = new Set(dataTerms(html));
  expect([...rendered].sort()).toEqual([...ids].sort());
  expect(html).not.toContain('katex-error');
}

describe('objectives', () => {
  it('has an objective for every template', () => {
    expect(Object.keys(OBJECTIVES).sort()).toEqual(TEMPLATES.map((t) => t.id).sort());
  });

  for (const t of TEMPLATES) {
    describe(t.id, () => {
      const doc = load(t.id);

      it('is found by template id and by title', () => {
        expect(objectiveFor(doc, t.id)?.template).toBe(t.id);
        expect(objectiveFor(doc)?.template).toBe(t.id);
        expect(objectiveFor({ ...doc, title: t.title })?.template).toBe(t.id);
        expect(objectiveFor(doc)).toEqual(OBJECTIVES[t.id]);
      });

      it('links every term to loss nodes of the template, and covers every loss node', () => {
        const o = objectiveFor(doc)!;
        expectWellFormed(doc, o);
        const covered = new Set(o.terms.flatMap((term) => term.nodes));
        for (const id of lossNodes(doc)) expect(covered.has(id), `${t.id}: loss ${id} uncovered`).toBe(true);
      });

      it('drops the term of a deleted loss node', () => {
        for (const id of lossNodes(doc)) {
          const edited = deleteNode(doc, id);
          const o = objectiveFor(edited);
          if (lossNodes(edited).length === 0) {
            expect(o).toBeUndefined();
            continue;
          }
          expect(o, `${t.id} without ${id}`).toBeDefined();
          expect(o!.terms.some((term) => term.nodes.includes(id))).toBe(false);
          expect(o!.tex).not.toContain(`term=${id}}`);
          expectWellFormed(edited, o!);
        }
      });
    });
  }

  it('shows the weights of the template', () => {
    const aae = OBJECTIVES.aae!.tex;
    for (const w of ['0.999', '0.001', '0.5']) expect(aae).toContain(w);
    const cyc = OBJECTIVES.cyclegan!;
    const term = (id: string) => cyc.terms.find((x) => x.id === id)!.tex;
    expect(term('cycA')).toMatch(/\{10\\,/);
    expect(term('idtB')).toMatch(/\{5\\,/);
    expect(term('lossDA')).toMatch(/\{0\.5\\,\\big\(/);
    expect(term('advG')).toContain('(D_B(G(a)) - 1)^2');
    // weight 1 is not written out
    expect(OBJECTIVES['gan-2d']!.tex).not.toMatch(/\{1\\,/);
  });

  it('follows edits of weights and forms', () => {
    const doc = load('cyclegan');
    doc.nodes.cycA!.params.weight = 7;
    expect(objectiveFor(doc)!.terms.find((x) => x.id === 'cycA')!.tex).toMatch(/\{7\\,/);

    const gan = load('gan-2d');
    gan.nodes.lossG!.params.form = 'minimax';
    const g = objectiveFor(gan)!.terms.find((x) => x.id === 'lossG')!;
    expect(g.tex).toContain('\\log\\left(1 - D(G(z))\\right)');
    expect(g.say).toContain('minimax');
  });

  it('writes the VAE as the negative ELBO and DDPM as the simple loss', () => {
    const vae = OBJECTIVES.vae!.tex;
    expect(vae).toContain('-\\mathrm{ELBO}(x)');
    expect(vae).toContain('-\\log p_\\theta(x \\mid z)');
    expect(vae).toContain('\\mathcal{N}(0, I)');
    expect(OBJECTIVES.ddpm!.tex).toContain('\\sqrt{1 - \\bar\\alpha_t}');
    expect(OBJECTIVES.ddpm!.note).toContain('999');
    // InfoGAN subtracts both information terms in both phases
    const info = OBJECTIVES.infogan!.tex;
    expect(info.match(/\\htmlData\{term=miCat\}\{\{\}-/g)?.length).toBe(2);
    expect(info.match(/\\htmlData\{term=miCont\}\{\{\}-/g)?.length).toBe(2);
  });

  it('matches nothing for an unrelated document', () => {
    expect(objectiveFor({ ...load('vae'), title: 'My own model' })).toBeUndefined();
    expect(objectiveFor(load('vae'), 'no-such-template')).toBeUndefined();
  });

  it('renders with KaTeX and fails loudly on bad TeX', () => {
    expect(() => renderObjective({ ...OBJECTIVES.vae!, tex: '\\frac{' })).toThrow();
  });
});

describe('phaseSummaries', () => {
  it('gives the two GAN phases, naming D and G', () => {
    const doc = load('gan-2d');
    const ph = phaseSummaries(doc);
    expect(ph.map((p) => p.id)).toEqual(['d', 'g']);
    expect(ph[0]).toMatchObject({ label: 'D step', steps: 1, trains: ['D'], losses: ['lossD'] });
    expect(ph[1]).toMatchObject({ label: 'G step', steps: 1, trains: ['G'], losses: ['lossG'] });
    expect(ph[0]!.say).toBe('D step ×1: updates D (real) to minimise D loss.');
    expect(ph[1]!.say).toBe('G step ×1: updates Generator G to minimise G loss.');
  });

  it('writes weights and several networks', () => {
    const ph = phaseSummaries(load('aae'));
    expect(ph[0]!.say).toBe(
      'Reconstruct and fool D ×1: updates Encoder and Decoder to minimise 0.999 × Reconstruction L1 + 0.001 × Encoder fools D.',
    );
    expect(ph[1]!.say).toBe('D step ×1: updates D (prior z) to minimise 0.5 × D loss.');
    expect(phaseSummaries(load('ddpm'))[0]!.say).toContain('moving average');
  });

  it('spells out the implicit phase of a document without phases', () => {
    const doc = load('vae');
    doc.training.phases = [];
    const ph = phaseSummaries(doc);
    expect(ph).toHaveLength(1);
    expect(ph[0]!.losses.sort()).toEqual(['kl', 'rec']);
    expect(ph[0]!.trains.sort()).toEqual(['dec', 'enc']);
  });

  it('falls back to the phases as written when the graph does not compile', () => {
    const doc = load('gan-2d');
    doc.nodes.G!.params.hidden = 'not a list';
    const ph = phaseSummaries(doc);
    expect(ph.map((p) => p.trains)).toEqual([['D'], ['G']]);
  });
});

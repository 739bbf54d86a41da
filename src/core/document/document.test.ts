import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentJsonSchema } from './json-schema';
import { loadDocument, serializeDocument } from './load';
import { migrate } from './migrations';
import type { Migration } from './migrations';
import { CURRENT_VERSION, emptyDocument } from './schema';
import { TEMPLATES } from '../templates';
import { applyPreset, hasPresets, presetChoices, presetLabel, presetParams } from './presets';

const vae = () => structuredClone(TEMPLATES.find((t) => t.id === 'vae')!.json) as Record<string, unknown>;

describe('loading a document', () => {
  it('reads every bundled template without a diagnostic', () => {
    for (const t of TEMPLATES) {
      const r = loadDocument(t.json);
      expect(r.diagnostics, t.id).toEqual([]);
      expect(r.doc?.title).toBeTruthy();
    }
  });

  it('round-trips: parse, serialise and parse again gives the same text', () => {
    const first = serializeDocument(loadDocument(vae()).doc!);
    expect(serializeDocument(loadDocument(first).doc!)).toBe(first);
  });

  it('says the file is not JSON instead of throwing', () => {
    const r = loadDocument('{"format": "gengraph", nodes: ');
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'not-json' });
    expect(r.diagnostics[0]!.message).toMatch(/not valid JSON/);
  });

  it('refuses something that is not a GenGraph document', () => {
    expect(loadDocument('[1,2]').diagnostics[0]!.code).toBe('not-a-graph');
    expect(loadDocument({ format: 'excalidraw' }).diagnostics[0]).toMatchObject({
      code: 'not-a-graph',
      field: 'format',
    });
  });

  it('refuses a document from a newer version, saying so', () => {
    const r = loadDocument({ ...vae(), version: CURRENT_VERSION + 1 });
    expect(r.diagnostics[0]).toMatchObject({ code: 'newer-version', field: 'version' });
    expect(r.diagnostics[0]!.message).toMatch(/newer GenGraph/);
  });

  it('names the node and the field of an invalid value', () => {
    const doc = vae() as { nodes: Record<string, { position: unknown }> };
    doc.nodes.enc!.position = { x: 'left', y: 0 };
    const r = loadDocument(doc);
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ node: 'enc', field: 'nodes.enc.position.x' });
    expect(r.diagnostics[0]!.message).toMatch(/node 'enc', field "position.x"/);
  });

  it('names the training phase of an invalid optimizer setting', () => {
    const doc = vae() as { training: { phases: Array<{ optimizer: { lr: number } }> } };
    doc.training.phases[0]!.optimizer.lr = -1;
    const d = loadDocument(doc).diagnostics[0]!;
    expect(d).toMatchObject({ phase: 'elbo', field: 'training.phases.0.optimizer.lr' });
    expect(d.message).toMatch(/training phase 'elbo', field "optimizer.lr"/);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [
      null,
      undefined,
      42,
      'null',
      '"x"',
      {},
      { format: 'gengraph' },
      { format: 'gengraph', version: 1 },
    ]) {
      expect(() => loadDocument(input)).not.toThrow();
      expect(loadDocument(input).diagnostics.length).toBeGreaterThan(0);
    }
  });
});

describe('migrations', () => {
  const table: Record<number, Migration> = {
    1: (d) => ({ ...d, title: `${String(d.title)} (v2)` }),
    2: (d) => ({ ...d, nodes: d.nodes, description: 'migrated twice' }),
  };

  it('run in order from the file version to the current one', () => {
    const out = migrate({ format: 'gengraph', version: 1, title: 'T', nodes: {} }, 1, 3, table);
    expect(out).toMatchObject({ version: 3, title: 'T (v2)', description: 'migrated twice' });
  });

  it('are applied by the load path before validation', () => {
    const old = { format: 'gengraph', version: 0, title: 'old', nodes: {}, kinds: 'dropped' };
    const r = loadDocument(old, { 0: ({ kinds: _dropped, ...rest }) => rest }, 1);
    expect(r.diagnostics).toEqual([]);
    expect(r.doc?.title).toBe('old');
  });

  it('report a gap in the table as a diagnostic, not an exception', () => {
    const r = loadDocument({ format: 'gengraph', version: 0, nodes: {} }, {}, 1);
    expect(r.diagnostics[0]!.message).toMatch(/no migration from version 0 to 1/);
  });
});

describe('presets', () => {
  it('override params and training settings on a copy', () => {
    const doc = loadDocument(vae()).doc!;
    const tiny = applyPreset(doc, 'tiny');
    expect(tiny.nodes.enc!.params).toMatchObject({ hidden: [32], latent: 4 });
    expect(tiny.training.batchSize).toBe(16);
    // What the preset does not name stays as the document has it.
    expect(tiny.training.seed).toBe(doc.training.seed);
    expect(tiny.training.phases).toEqual(doc.training.phases);
    expect(doc.training.batchSize).toBe(128);
  });

  it('combine with tiny only where the pair is a graph of its own', () => {
    const load = (id: string) => loadDocument(TEMPLATES.find((t) => t.id === id)!.json).doc!;
    const cyclegan = load('cyclegan');
    // The thickened pair at test size: the data node keeps thicken's transform, the nets tiny's size.
    expect(presetChoices(cyclegan)).toEqual(['thicken', 'tiny', 'thicken,tiny']);
    const both = applyPreset(cyclegan, 'thicken,tiny');
    expect(both.nodes).toEqual(applyPreset(applyPreset(cyclegan, 'thicken'), 'tiny').nodes);
    expect(both).not.toEqual(applyPreset(cyclegan, 'tiny'));
    // InfoGAN's scaled model is wholly overridden by tiny: offering the pair would offer tiny twice.
    expect(presetChoices(load('infogan'))).toEqual(['scaled', 'tiny']);
    expect(presetChoices(load('vae'))).toEqual(['tiny']);
    expect(hasPresets(cyclegan, 'thicken,tiny')).toBe(true);
    expect(hasPresets(cyclegan, 'thicken,scaled')).toBe(false);
    expect(hasPresets(cyclegan, '')).toBe(false);
    expect(presetLabel('thicken,tiny')).toBe('thicken + tiny');
  });

  it('say what they set on one node, for the inspector, the later preset winning', () => {
    const cyclegan = loadDocument(TEMPLATES.find((t) => t.id === 'cyclegan')!.json).doc!;
    expect(presetParams(cyclegan, 'thicken', 'idtA')).toEqual({ weight: 0 });
    expect(presetParams(cyclegan, 'thicken,tiny', 'G_AB')).toEqual({ downsample: 2, base: 4, blocks: 1 });
    expect(presetParams(cyclegan, 'thicken', 'G_AB')).toEqual({ downsample: 2 });
    expect(presetParams(cyclegan, 'tiny', 'G_AB')).toEqual({ base: 4, blocks: 1 });
    expect(presetParams(cyclegan, 'thicken', 'D_A')).toEqual({});
    expect(presetParams(cyclegan, '', 'idtA')).toEqual({});
    expect(presetParams(cyclegan, 'nope', 'idtA')).toEqual({});
    const doc = structuredClone(cyclegan);
    doc.presets.tiny!.params.idtA = { weight: 2 };
    expect(presetParams(doc, 'thicken,tiny', 'idtA')).toEqual({ weight: 2 });
  });
});

describe('the JSON Schema', () => {
  it('committed in public/schema/ is current (regenerate with npm run schema)', () => {
    const committed = readFileSync(
      new URL('../../../public/schema/gengraph.schema.json', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(documentJsonSchema());
  });

  it('describes the empty document', () => {
    const schema = JSON.parse(documentJsonSchema()) as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'nodes']));
    expect(Object.keys(emptyDocument())).toEqual(expect.arrayContaining(schema.required));
  });
});

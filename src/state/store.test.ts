import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../core/document/load';
import type { GraphDocument } from '../core/document/schema';
import { TEMPLATES, templateById } from '../core/templates';
import { KINDS } from '../core/kinds/registry';
import * as cmd from './commands';
import { EditorStore, activePreset, trainedAnalysis } from './store';
import { countNodeParams } from '../core/graph/params';

function template(id: string): GraphDocument {
  const r = loadDocument(templateById(id)!.json);
  if (!r.doc) throw new Error(id);
  return r.doc;
}

const kinds = KINDS.map((k) => k.kind);

/** An editing command described as data; `pick` values choose among what exists when it runs. */
type Op =
  | { op: 'add'; kind: number; x: number; y: number }
  | { op: 'remove'; pick: number; count: number }
  | { op: 'connect'; a: number; b: number; pa: number; pb: number }
  | { op: 'disconnect'; pick: number }
  | { op: 'move'; pick: number; x: number; y: number; merge: boolean }
  | { op: 'param'; pick: number; key: number; value: number; merge: boolean }
  | { op: 'label'; pick: number; text: string }
  | { op: 'dup'; pick: number; count: number }
  | { op: 'group'; pick: number; count: number; label: string }
  | { op: 'ungroup'; pick: number }
  | { op: 'collapse'; pick: number }
  | { op: 'template'; pick: number }
  | { op: 'break' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), kind: fc.nat(), x: fc.integer(), y: fc.integer() }),
  fc.record({ op: fc.constant('remove' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    op: fc.constant('connect' as const),
    a: fc.nat(),
    b: fc.nat(),
    pa: fc.nat(),
    pb: fc.nat(),
  }),
  fc.record({ op: fc.constant('disconnect' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('move' as const),
    pick: fc.nat(),
    x: fc.integer({ min: -2000, max: 2000 }),
    y: fc.integer({ min: -2000, max: 2000 }),
    merge: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('param' as const),
    pick: fc.nat(),
    key: fc.nat(),
    value: fc.integer({ min: 1, max: 512 }),
    merge: fc.boolean(),
  }),
  fc.record({ op: fc.constant('label' as const), pick: fc.nat(), text: fc.string({ maxLength: 12 }) }),
  fc.record({ op: fc.constant('dup' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    op: fc.constant('group' as const),
    pick: fc.nat(),
    count: fc.integer({ min: 1, max: 4 }),
    label: fc.string({ maxLength: 10 }),
  }),
  fc.record({ op: fc.constant('ungroup' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('collapse' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('template' as const), pick: fc.nat() }),
  fc.constant({ op: 'break' as const }),
);

function at<T>(xs: readonly T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined;
}

function run(store: EditorStore, o: Op): void {
  const doc = store.get().doc;
  const ids = Object.keys(doc.nodes);
  const slice = (pick: number, count: number) =>
    ids.length ? Array.from({ length: count }, (_, i) => ids[(pick + i) % ids.length]!) : [];
  switch (o.op) {
    case 'add':
      store.change('add', (d) => cmd.addNode(d, at(kinds, o.kind)!, { x: o.x, y: o.y }));
      break;
    case 'remove':
      store.change('remove', (d) => cmd.removeNodes(d, slice(o.pick, o.count)));
      break;
    case 'connect': {
      const a = at(ids, o.a);
      const b = at(ids, o.b);
      if (!a || !b) return;
      const ak = store.get().analysis.nodes[a]!;
      const bk = store.get().analysis.nodes[b]!;
      const sp = at(ak.outputs, o.pa);
      const tp = at(bk.inputs, o.pb);
      if (sp && tp)
        store.change('connect', (d) =>
          cmd.connect(d, { node: a, port: sp.name }, { node: b, port: tp.name }),
        );
      break;
    }
    case 'disconnect': {
      const e = at(Object.keys(doc.edges), o.pick);
      if (e) store.change('disconnect', (d) => cmd.removeEdges(d, [e]));
      break;
    }
    case 'move': {
      const id = at(ids, o.pick);
      if (id)
        store.change('move', (d) => cmd.moveNodes(d, { [id]: { x: o.x, y: o.y } }), {
          merge: o.merge ? `move:${id}` : undefined,
        });
      break;
    }
    case 'param': {
      const id = at(ids, o.pick);
      if (!id) return;
      const params = Object.keys(store.get().analysis.nodes[id]?.params ?? {});
      const key = at(params, o.key) ?? 'weight';
      store.change('param', (d) => cmd.setParam(d, id, key, o.value), {
        merge: o.merge ? `param:${id}:${key}` : undefined,
      });
      break;
    }
    case 'label': {
      const id = at(ids, o.pick);
      if (id) store.change('label', (d) => cmd.setLabel(d, id, o.text));
      break;
    }
    case 'dup': {
      const frag = cmd.copyFragment(doc, slice(o.pick, o.count));
      store.change('duplicate', (d) => cmd.pasteFragment(d, frag, { x: 40, y: 40 }));
      break;
    }
    case 'group':
      store.change('group', (d) => cmd.group(d, slice(o.pick, o.count), o.label));
      break;
    case 'ungroup': {
      const g = at(Object.keys(doc.groups), o.pick);
      if (g) store.change('ungroup', (d) => cmd.ungroup(d, g));
      break;
    }
    case 'collapse': {
      const g = at(Object.keys(doc.groups), o.pick);
      if (g) store.change('collapse', (d) => cmd.setGroup(d, g, { collapsed: !doc.groups[g]!.collapsed }));
      break;
    }
    case 'template':
      store.load(at(TEMPLATES, o.pick)!.json);
      break;
    case 'break':
      store.breakMerge();
      break;
  }
}

describe('undo and redo', () => {
  it('undoing every command restores the initial document; redoing them gives the final one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('vae', 'cyclegan', 'gan-2d'),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        (start, ops) => {
          const initial = template(start);
          const store = new EditorStore(initial);
          for (const o of ops) run(store, o);
          const final = store.get().doc;
          let undos = 0;
          while (store.undo()) undos++;
          expect(store.get().doc).toEqual(initial);
          expect(store.get().canUndo).toBe(false);
          let redos = 0;
          while (store.redo()) redos++;
          expect(redos).toBe(undos);
          expect(store.get().doc).toEqual(final);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('repeated edits of one field are one step, until the merge is broken', () => {
    const store = new EditorStore(template('vae'));
    const before = store.get().doc.nodes.enc!.params;
    for (const v of [1, 12, 128])
      store.change('latent', (d) => cmd.setParam(d, 'enc', 'latent', v), { merge: 'param:enc:latent' });
    expect(store.get().doc.nodes.enc!.params.latent).toBe(128);
    store.undo();
    expect(store.get().doc.nodes.enc!.params).toEqual(before);
    store.redo();
    store.breakMerge();
    store.change('latent', (d) => cmd.setParam(d, 'enc', 'latent', 7), { merge: 'param:enc:latent' });
    store.undo();
    expect(store.get().doc.nodes.enc!.params.latent).toBe(128);
  });

  it('loading a template is one step, and a failed load is none', () => {
    const store = new EditorStore(template('vae'));
    const vae = store.get().doc;
    expect(store.load(templateById('ddpm')!.json)).toBe(true);
    expect(store.get().doc.title).not.toBe(vae.title);
    expect(store.load({ format: 'gengraph', version: 1, nodes: { 'bad id!': {} } })).toBe(false);
    expect(store.get().loadError?.length).toBeGreaterThan(0);
    store.undo();
    expect(store.get().doc).toEqual(vae);
    expect(store.get().canUndo).toBe(false);
  });

  it('a change that alters nothing records no step', () => {
    const store = new EditorStore(template('vae'));
    store.change('noop', () => {});
    store.change('move nowhere', (d) => cmd.moveNodes(d, { enc: store.get().doc.nodes.enc!.position }));
    expect(store.get().canUndo).toBe(false);
  });

  it('undo drops selected nodes that no longer exist', () => {
    const store = new EditorStore(template('vae'));
    const id = store.change('add', (d) => cmd.addNode(d, 'loss.kl', { x: 0, y: 0 }));
    store.select([id]);
    store.undo();
    expect(store.get().selection).toEqual([]);
  });
});

describe('paste', () => {
  it('gives pasted nodes fresh ids and keeps the wires between them', () => {
    const doc = template('vae');
    const store = new EditorStore(doc);
    const ids = Object.keys(doc.nodes);
    const frag = JSON.parse(JSON.stringify(cmd.copyFragment(doc, ids))) as unknown;
    expect(cmd.isFragment(frag)).toBe(true);
    const added = store.change('paste', (d) => cmd.pasteFragment(d, frag as cmd.Fragment, { x: 10, y: 0 }));
    expect(added).toHaveLength(ids.length);
    expect(added.some((id) => ids.includes(id))).toBe(false);
    const after = store.get().doc;
    expect(Object.keys(after.edges)).toHaveLength(2 * Object.keys(doc.edges).length);
    // The copy is wired like the original, so it has no new problems of its own.
    expect(store.get().analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses things that are not fragments', () => {
    expect(cmd.isFragment({ format: 'gengraph-fragment', nodes: { a: { kind: 1 } }, edges: {} })).toBe(false);
    expect(cmd.isFragment('hello')).toBe(false);
  });
});

describe('the training preset', () => {
  it('starts on tiny, follows the document it belongs to, and is never one the document lacks', () => {
    const store = new EditorStore(template('cyclegan'));
    expect(activePreset(store.get())).toBe('tiny');
    store.setPreset('thicken');
    expect(activePreset(store.get())).toBe('thicken');
    // Opening another graph starts it on that graph's default, not on a name it may not have.
    store.replace(template('infogan'), 'open graph');
    expect(activePreset(store.get())).toBe('tiny');
    store.setPreset('scaled');
    const gan = template('gan-2d');
    delete gan.presets.tiny;
    store.replace(gan, 'open graph');
    expect(activePreset(store.get())).toBe('');
    // Undo brings InfoGAN back; the chosen name is checked against it, never trusted blindly.
    store.setPreset('scaled');
    expect(activePreset(store.get())).toBe('');
    store.undo();
    expect(store.get().doc.title).toBe('InfoGAN');
    expect(activePreset(store.get())).toBe('scaled');
    store.setPreset('none-such');
    expect(activePreset(store.get())).toBe('');
    // Two presets in order, as the command line takes them; each must be the document's.
    store.replace(template('cyclegan'), 'open graph');
    store.setPreset('thicken,tiny');
    expect(activePreset(store.get())).toBe('thicken,tiny');
    store.setPreset('thicken,scaled');
    expect(activePreset(store.get())).toBe('');
  });

  it('analyses the graph as the preset trains it, once per document and preset', () => {
    const store = new EditorStore(template('cyclegan'));
    const params = () => countNodeParams(trainedAnalysis(store.get()).nodes.G_AB!);
    store.setPreset('');
    expect(trainedAnalysis(store.get())).toBe(store.get().analysis);
    expect(params()).toBe(10_945);
    // thicken gives the translators the paper's two downsamplings: a bigger network than drawn.
    store.setPreset('thicken');
    const thick = trainedAnalysis(store.get());
    expect(thick).not.toBe(store.get().analysis);
    expect(params()).toBe(195_937);
    // Asked again (another view, a re-render), the same analysis comes back, not a new one.
    expect(trainedAnalysis(store.get())).toBe(thick);
    // Moving a node keeps it; an edit is analysed afresh, with the preset still applied.
    store.change('move', (d) => cmd.moveNodes(d, { G_AB: { x: 40, y: 40 } }));
    expect(trainedAnalysis(store.get())).toBe(thick);
    store.change('rename', (d) => {
      d.title = 'CycleGAN, renamed';
    });
    expect(trainedAnalysis(store.get())).not.toBe(thick);
    expect(params()).toBe(195_937);
  });
});

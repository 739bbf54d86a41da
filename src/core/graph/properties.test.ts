import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import { KINDS } from '../kinds/registry';
import { analyze } from './analyze';
import { canConnect } from './connect';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const kindIds = [...KINDS.map((k) => k.kind), 'net.nonexistent'];
const portNames = [
  'x',
  'z',
  'q',
  'y',
  'a',
  'b',
  'logit',
  'fake',
  'real',
  'loss',
  'pred',
  'target',
  't',
  'schedule',
  'model',
  'eps',
];

const randomGraph = fc.record({
  nodes: fc.dictionary(
    fc.constantFrom(...ids),
    fc.record({
      kind: fc.constantFrom(...kindIds),
      position: fc.record({ x: fc.integer(), y: fc.integer() }),
      params: fc.oneof(
        fc.constant({}),
        fc.dictionary(
          fc.constantFrom('dim', 'hidden', 'latent', 'arch', 'T', 'sizes', 'outShape'),
          fc.jsonValue(),
        ),
      ),
      shares: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    }),
    { maxKeys: 6 },
  ),
  edges: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 3 }).map((s) => `e${s.replace(/[^A-Za-z0-9]/g, '_')}`),
    fc.record({
      source: fc.record({ node: fc.constantFrom(...ids), port: fc.constantFrom(...portNames) }),
      target: fc.record({ node: fc.constantFrom(...ids), port: fc.constantFrom(...portNames) }),
    }),
    { maxKeys: 10 },
  ),
});

describe('on random input', () => {
  it('loading any JSON value never throws and always explains a refusal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = loadDocument(v);
        if (!r.doc) expect(r.diagnostics.length).toBeGreaterThan(0);
        for (const d of r.diagnostics) expect(d.message.length).toBeGreaterThan(5);
      }),
      { numRuns: 300 },
    );
  });

  it('a random graph never throws, and every diagnostic names a node, wire or field', () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const r = loadDocument({ format: 'gengraph', version: 1, ...g });
        if (!r.doc) {
          for (const d of r.diagnostics) expect(d.field ?? d.node ?? d.edge).toBeDefined();
          return;
        }
        const a = analyze(r.doc);
        for (const d of a.diagnostics) {
          expect(d.node ?? d.edge ?? d.field, d.message).toBeDefined();
          expect(d.message.length).toBeGreaterThan(5);
        }
        // A node whose shapes were inferred has a shape for every port it lists.
        for (const n of Object.values(a.nodes))
          if (n.ok) for (const o of n.outputs) expect(n.outputInfo[o.name]).toBeDefined();
        // canConnect answers every pair without throwing, with a reason when it says no.
        for (const s of Object.keys(r.doc.nodes))
          for (const t of Object.keys(r.doc.nodes)) {
            const c = canConnect(r.doc, a, { node: s, port: 'x' }, { node: t, port: 'z' });
            if (!c.ok) expect(c.reason.length).toBeGreaterThan(5);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('a wire canConnect allows never makes a cycle or a type error', () => {
    fc.assert(
      fc.property(randomGraph, fc.constantFrom(...ids), fc.constantFrom(...ids), (g, s, t) => {
        const r = loadDocument({ format: 'gengraph', version: 1, ...g });
        if (!r.doc) return;
        const a = analyze(r.doc);
        const sn = a.nodes[s];
        const tn = a.nodes[t];
        if (!sn || !tn) return;
        for (const out of sn.outputs)
          for (const inp of tn.inputs) {
            if (!canConnect(r.doc, a, { node: s, port: out.name }, { node: t, port: inp.name }).ok) continue;
            const doc = structuredClone(r.doc);
            doc.edges.__new = { source: { node: s, port: out.name }, target: { node: t, port: inp.name } };
            const after = analyze(doc).diagnostics.filter(
              (d) => d.edge === '__new' || (d.node === t && d.port === inp.name),
            );
            expect(
              after.filter((d) => ['cycle', 'type-mismatch', 'duplicate-input'].includes(d.code)),
            ).toEqual([]);
          }
      }),
      { numRuns: 200 },
    );
  });
});

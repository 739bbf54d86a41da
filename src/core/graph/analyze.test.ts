import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import type { GraphDocument } from '../document/schema';
import { TEMPLATES } from '../templates';
import { analyze } from './analyze';
import { canConnect } from './connect';

const vae = (): GraphDocument => loadDocument(structuredClone(TEMPLATES[0]!.json)).doc!;
const errors = (doc: GraphDocument) => analyze(doc).diagnostics.filter((d) => d.severity === 'error');

describe('analysing a graph', () => {
  it('infers the VAE shapes along every wire, with a symbolic batch', () => {
    const a = analyze(vae());
    expect(a.diagnostics).toEqual([]);
    expect(a.nodes.enc!.outputInfo.q).toEqual({ type: 'gaussian', shape: ['B', 20] });
    expect(a.nodes.dec!.outputInfo.x!.shape).toEqual(['B', 28, 28, 1]);
    expect(a.edgeInfo.e3).toEqual({ type: 'latent', shape: ['B', 20] });
    expect(a.order.indexOf('enc')).toBeLessThan(a.order.indexOf('dec'));
  });

  it('reports a removed wire as a missing input on the node that needs it', () => {
    const doc = vae();
    delete doc.edges.e3;
    expect(errors(doc)).toEqual([expect.objectContaining({ code: 'missing-input', node: 'dec', port: 'z' })]);
  });

  it('reports a wrong port type in words, naming both ends', () => {
    const doc = vae();
    doc.edges.e6 = { source: { node: 'z', port: 'z' }, target: { node: 'kl', port: 'q' } };
    const [d] = errors(doc);
    expect(d).toMatchObject({ code: 'type-mismatch', node: 'kl', port: 'q' });
    expect(d!.message).toBe("input 'q' expects gaussian, but z = μ + σ·ε's 'z' is latent");
  });

  it('reports a shape mismatch on the node and port', () => {
    const doc = vae();
    doc.nodes.dec!.params = { outShape: [784] };
    const [d] = errors(doc);
    expect(d).toMatchObject({ code: 'shape', node: 'rec', port: 'target' });
    expect(d!.message).toMatch(/\[B, 784\].*\[B, 28, 28, 1\]/);
  });

  it('finds cycles and names every node on them', () => {
    const doc = vae();
    doc.edges.back = { source: { node: 'dec', port: 'x' }, target: { node: 'enc', port: 'x' } };
    delete doc.edges.e1;
    const cyc = errors(doc)
      .filter((d) => d.code === 'cycle')
      .map((d) => d.node)
      .sort();
    expect(cyc).toEqual(['dec', 'enc', 'z']);
  });

  it('names the parameter that is out of range', () => {
    const doc = vae();
    doc.nodes.enc!.params = { latent: 0 };
    expect(errors(doc)[0]).toMatchObject({
      code: 'invalid-param',
      node: 'enc',
      field: 'nodes.enc.params.latent',
    });
  });

  it('reports unknown kinds, dangling wires and bad weight sharing', () => {
    const doc = vae();
    doc.nodes.mystery = { kind: 'net.transformer', position: { x: 0, y: 0 }, params: {} };
    doc.edges.ghost = { source: { node: 'nowhere', port: 'x' }, target: { node: 'enc', port: 'x' } };
    doc.nodes.gen!.shares = 'enc';
    const codes = errors(doc).map((d) => `${d.code}:${d.node ?? d.edge}`);
    expect(codes).toEqual(
      expect.arrayContaining(['unknown-kind:mystery', 'dangling-wire:ghost', 'bad-share:gen']),
    );
  });

  it('gives a node that shares weights its owner’s settings', () => {
    const doc = vae();
    doc.nodes.dec!.params = { hidden: [64] };
    expect(analyze(doc).nodes.gen!.params).toMatchObject({ hidden: [64] });
  });
});

describe('canConnect', () => {
  const doc = vae();
  doc.nodes.extra = { kind: 'loss.kl_normal', position: { x: 0, y: 0 }, params: {} };
  const a = analyze(doc);
  const reason = (s: [string, string], t: [string, string]) => {
    const r = canConnect(doc, a, { node: s[0], port: s[1] }, { node: t[0], port: t[1] });
    return r.ok ? 'ok' : r.reason;
  };

  it('allows a wire of the right type into a free input', () => {
    expect(reason(['enc', 'q'], ['extra', 'q'])).toBe('ok');
  });

  it('refuses with a reason: type, occupied input, cycle, self, shape', () => {
    expect(reason(['z', 'z'], ['kl', 'q'])).toMatch(/takes gaussian; .* is latent/);
    expect(reason(['prior', 'z'], ['dec', 'z'])).toMatch(/already has a wire from z = μ/);
    expect(reason(['dec', 'x'], ['enc', 'x'])).toMatch(/already has a wire/);
    expect(reason(['data', 'x'], ['data', 'x'])).toMatch(/'x' is an output of MNIST; connect it to an input/);
    expect(reason(['rec', 'loss'], ['rec', 'pred'])).toMatch(/already has a wire|own input|cycle/);
    expect(reason(['enc', 'q'], ['enc', 'x'])).toMatch(/own input|already has a wire/);
  });

  it('refuses a wire that would make a cycle', () => {
    const d = vae();
    delete d.edges.e1;
    expect(canConnect(d, analyze(d), { node: 'dec', port: 'x' }, { node: 'enc', port: 'x' })).toEqual({
      ok: false,
      reason: 'this wire would make a cycle: Decoder p(x|z) already depends on Encoder q(z|x)',
    });
  });

  it('refuses a wire whose shape the input cannot take', () => {
    const d = vae();
    d.nodes.flat = { kind: 'op.flatten', position: { x: 0, y: 0 }, params: {} };
    d.edges.f = { source: { node: 'data', port: 'x' }, target: { node: 'flat', port: 'x' } };
    delete d.edges.e5;
    const r = canConnect(d, analyze(d), { node: 'flat', port: 'y' }, { node: 'rec', port: 'target' });
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.reason).toMatch(/same shape/);
  });
});

import { describe, expect, it } from 'vitest';
import { KINDS, getKind } from './registry';
import { ShapeError } from '../shape';
import { SHAPE_CASES as rows } from './shape-cases';

describe('every shape rule', () => {
  it.each(rows.map((r, i) => [`${r.kind} #${i}`, r] as const))(
    '%s gives the expected shapes',
    (_name, row) => {
      const kind = getKind(row.kind)!;
      expect(kind, row.kind).toBeDefined();
      const p = kind.params.parse(row.params ?? {});
      const run = () => kind.infer(p, row.inputs ?? {});
      if (row.error) {
        let err: unknown;
        try {
          run();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ShapeError);
        expect((err as ShapeError).message).toMatch(row.error.match);
        expect((err as ShapeError).port ?? '').toBe(row.error.port);
        return;
      }
      const out = run();
      for (const [port, shape] of Object.entries(row.out!)) expect(out[port]?.shape, port).toEqual(shape);
      // Ports listed for the UI and the shapes the rule gives must agree.
      expect(Object.keys(out).sort()).toEqual(
        kind
          .outputs(p)
          .map((o) => o.name)
          .sort(),
      );
    },
  );

  it('covers every kind in the registry', () => {
    const tested = new Set(rows.map((r) => r.kind));
    expect(KINDS.map((k) => k.kind).filter((k) => !tested.has(k))).toEqual([]);
  });
});

describe('every kind entry', () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))('%s has documentation and valid defaults', (_id, k) => {
    expect(k.title.length).toBeGreaterThan(2);
    expect(k.summary.length).toBeGreaterThan(10);
    expect(k.doc.length).toBeGreaterThan(120);
    const p = k.params.parse({});
    for (const port of [...k.inputs(p), ...k.outputs(p)]) expect(port.name).toMatch(/^[a-z_0-9]+$/);
  });

  it('ids are unique and namespaced by category', () => {
    const ids = KINDS.map((k) => k.kind);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(data|sample|latent|net|diffusion|op|loss)\.[a-z0-9_]+$/);
  });
});

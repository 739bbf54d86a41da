import { describe, expect, it } from 'vitest';
import { loadDocument } from '../document/load';
import { templateById } from '../templates';
import { analyze } from './analyze';
import { countNodeParams } from './params';

function nodes(id: string) {
  return analyze(loadDocument(templateById(id)!.json).doc!).nodes;
}

describe('countNodeParams', () => {
  it('counts an MLP encoder and decoder by hand', () => {
    const n = nodes('vae');
    // 784→400 (+bias), 400→2·20 (+bias)
    expect(countNodeParams(n.enc!)).toBe(784 * 400 + 400 + 400 * 40 + 40);
    // 20→400 (+bias), 400→784 (+bias)
    expect(countNodeParams(n.dec!)).toBe(20 * 400 + 400 + 400 * 784 + 784);
  });

  it('gives nothing for nodes without weights of their own', () => {
    const n = nodes('vae');
    const sharing = Object.values(n).find((i) => i.owner !== i.id);
    expect(sharing).toBeDefined();
    expect(countNodeParams(sharing!)).toBeUndefined();
    expect(countNodeParams(n.data!)).toBeUndefined();
  });

  it('counts every network of every conv template without touching TF.js', () => {
    for (const t of ['infogan', 'cyclegan', 'ddpm']) {
      for (const info of Object.values(nodes(t)))
        if (info.kind?.trainable && info.owner === info.id)
          expect(countNodeParams(info)).toBeGreaterThan(1000);
    }
  });
});

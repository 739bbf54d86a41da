import { describe, expect, it } from 'vitest';
import { loadDocument } from '../core/document/load';
import { templateById } from '../core/templates';
import { decodeShareFragment, encodeShareFragment, readAutosave, saveAutosave } from './persistence';

const cyclegan = loadDocument(templateById('cyclegan')!.json).doc!;

describe('share links', () => {
  it('round-trip the whole graph, compressed', async () => {
    const frag = await encodeShareFragment(cyclegan);
    expect(frag).toMatch(/^g=[A-Za-z0-9_-]+$/);
    expect(frag.length).toBeLessThan(JSON.stringify(cyclegan).length / 2);
    const r = await decodeShareFragment(`#${frag}`);
    expect(r && 'text' in r && loadDocument(r.text).doc).toEqual(cyclegan);
  });

  it('say what is wrong with a damaged link, and ignore a hash without a graph', async () => {
    const frag = await encodeShareFragment(cyclegan);
    const cut = await decodeShareFragment(`#${frag.slice(0, frag.length / 2)}`);
    expect(cut && 'error' in cut && cut.error).toMatch(/damaged/);
    expect(await decodeShareFragment('#g=!!!')).toHaveProperty('error');
    expect(await decodeShareFragment('#other=1')).toBeUndefined();
  });
});

describe('autosave', () => {
  it('keeps the document and survives a storage that refuses', () => {
    const mem = new Map<string, string>();
    const storage = {
      getItem: (k: string) => mem.get(k) ?? null,
      setItem: (k: string, v: string) => void mem.set(k, v),
    } as unknown as Storage;
    expect(saveAutosave(cyclegan, storage)).toBe(true);
    expect(loadDocument(readAutosave(storage)!).doc).toEqual(cyclegan);
    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      getItem: () => {
        throw new Error('SecurityError');
      },
    } as unknown as Storage;
    expect(saveAutosave(cyclegan, full)).toBe(false);
    expect(readAutosave(full)).toBeUndefined();
  });
});

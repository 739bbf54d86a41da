import type { GraphDocument } from './schema';

/** A copy of the document with a preset's param and training overrides applied (e.g. 'tiny'). */
export function applyPreset(doc: GraphDocument, name: string): GraphDocument {
  // 'thicken,tiny': several presets, applied in order, the later winning where they overlap.
  if (name.includes(',')) return name.split(',').reduce(applyPreset, doc);
  const preset = doc.presets[name];
  if (!preset)
    throw new Error(
      `this graph has no preset '${name}' (it has: ${Object.keys(doc.presets).join(', ') || 'none'})`,
    );
  const out = structuredClone(doc);
  for (const [id, params] of Object.entries(preset.params)) {
    const node = out.nodes[id];
    if (!node) throw new Error(`preset '${name}' sets params of '${id}', which is not a node of this graph`);
    node.params = { ...node.params, ...params };
  }
  out.training = { ...out.training, ...preset.training };
  return out;
}

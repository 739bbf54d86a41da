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
  const { optimizers, ...training } = preset.training;
  out.training = { ...out.training, ...training };
  for (const [id, optimizer] of Object.entries(optimizers ?? {})) {
    const phase = out.training.phases.find((p) => p.id === id);
    if (!phase)
      throw new Error(
        `preset '${name}' sets the optimizer of phase '${id}', which is not a phase of this graph`,
      );
    phase.optimizer = { ...phase.optimizer, ...optimizer };
  }
  return out;
}

/**
 * The presets a run can use, as `applyPreset` names them: each preset alone, and each other preset
 * followed by `tiny` where that is a different graph from `tiny` alone (CycleGAN's thickened pair at
 * test size, say; InfoGAN's scaled model is all overridden by tiny, so it gets no such pair).
 */
export function presetChoices(doc: GraphDocument): string[] {
  const names = Object.keys(doc.presets);
  const out = [...names];
  if (!doc.presets.tiny) return out;
  const tiny = JSON.stringify(applyPreset(doc, 'tiny'));
  for (const p of names)
    if (p !== 'tiny' && JSON.stringify(applyPreset(doc, `${p},tiny`)) !== tiny) out.push(`${p},tiny`);
  return out;
}

/** Whether every preset a choice names ('thicken,tiny') is one this document has. */
export function hasPresets(doc: GraphDocument, choice: string): boolean {
  return choice !== '' && choice.split(',').every((p) => Object.hasOwn(doc.presets, p));
}

/** 'thicken,tiny' → 'thicken + tiny', for labels. */
export function presetLabel(choice: string): string {
  return choice.split(',').join(' + ');
}

/** What a choice does, from its presets' own descriptions ('' for none). */
export function presetDescription(doc: GraphDocument, choice: string): string {
  if (!hasPresets(doc, choice)) return '';
  return choice
    .split(',')
    .map((p) => doc.presets[p]!.description)
    .filter(Boolean)
    .join(' ');
}

/**
 * The params a choice of presets sets on one node for training ({} for none), the later preset
 * winning as in `applyPreset`: the inspector shows them beside the graph's own values.
 */
export function presetParams(doc: GraphDocument, choice: string, nodeId: string): Record<string, unknown> {
  if (!hasPresets(doc, choice)) return {};
  return Object.assign({}, ...choice.split(',').map((p) => doc.presets[p]!.params[nodeId] ?? {}));
}

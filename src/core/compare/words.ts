import { nodeName } from '../graph/analyze';
import { getKind } from '../kinds/registry';
import type { Side } from './side';
import { categoryOf, kindOf, ownerOf } from './side';

/** Wording helpers for the summary: how a node, a wire end or a list reads in a sentence. */

export function lowerFirst(s: string): string {
  // Keep acronyms and names with capitals inside the first word (KL, MNIST, InfoGAN).
  return /^[A-Z][a-z]*(?![A-Za-z])/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export function upperFirst(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

export function fmt(v: unknown): string {
  if (v === undefined) return 'unset';
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function name(side: Side, id: string): string {
  return nodeName(side.doc, id);
}

function title(side: Side, id: string): string {
  return getKind(kindOf(side, id))?.title ?? kindOf(side, id);
}

/** What kind of thing a node is, in lower case: "encoder", "KL to N(0, I) loss", "MNIST data". */
export function kindPhrase(side: Side, id: string): string {
  const t = lowerFirst(title(side, id));
  const cat = categoryOf(side, id);
  if (cat === 'loss' && !/loss/i.test(t)) return `${t} loss`;
  if (cat === 'data' && !/data/i.test(t)) return `${t} data`;
  return t;
}

/** "the encoder \"Encoder q(z|x)\"": the kind, then the node's own label where it says more. */
export function called(side: Side, id: string, article: 'the' | 'a' | '' = 'the'): string {
  const phrase = kindPhrase(side, id);
  const label = side.doc.nodes[id]?.label;
  const t = title(side, id);
  const quoted = label && !t.toLowerCase().includes(label.toLowerCase()) ? ` "${label}"` : '';
  const art = article === 'a' ? (/^[aeiou]/i.test(phrase) ? 'an' : 'a') : article;
  return `${art ? `${art} ` : ''}${phrase}${quoted}`;
}

/** A network with the nodes that reuse its weights: "the decoder "Decoder p(x|z)" (used 2 times)". */
export function family(side: Side, owner: string, article: 'the' | 'a'): string {
  const uses = side.ids.filter((id) => ownerOf(side, id) === owner).length;
  return `${called(side, owner, article)}${uses > 1 ? ` (used ${uses} times, sharing weights)` : ''}`;
}

function outputCount(side: Side, id: string): number {
  const kind = getKind(kindOf(side, id));
  try {
    return kind ? kind.outputs(side.params.get(id) ?? {}).length : 1;
  } catch {
    return 1;
  }
}

/** One output of a node as the thing it carries: "samples from Prior p(z)", "Domains A / B's b". */
export function source(side: Side, id: string, port: string): string {
  if (outputCount(side, id) > 1) return `${name(side, id)}'s ${port}`;
  switch (categoryOf(side, id)) {
    case 'data':
      return `real data from ${name(side, id)}`;
    case 'sampler':
      return `samples from ${name(side, id)}`;
    default:
      return `the output of ${name(side, id)}`;
  }
}

export function quote(s: string): string {
  return `"${s}"`;
}

const TRAINING_WORDS: Record<string, string> = {
  batchSize: 'batch size',
  iterations: 'iterations',
  seed: 'seed',
  logEvery: 'log interval',
};

export function trainingWord(key: string): string {
  return TRAINING_WORDS[key] ?? key;
}

/** Several nodes, those of one kind grouped: "the adversarial losses "D loss" and "G loss"". */
export function calledMany(side: Side, ids: readonly string[], article: 'the' | 'a' = 'the'): string {
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(kindOf(side, id), [...(groups.get(kindOf(side, id)) ?? []), id]);
  const parts: string[] = [];
  for (const members of groups.values()) {
    const phrase = kindPhrase(side, members[0]!);
    const labels = members.map((id) => side.doc.nodes[id]?.label);
    const many = phrase.endsWith('loss') ? `${phrase}es` : /[a-z]$/.test(phrase) ? `${phrase}s` : undefined;
    if (members.length > 1 && many && labels.every((l) => l !== undefined)) {
      parts.push(`${article === 'the' ? 'the ' : ''}${many} ${list(labels.map((l) => quote(l!)))}`);
    } else parts.push(...members.map((id) => called(side, id, article)));
  }
  return list(parts);
}

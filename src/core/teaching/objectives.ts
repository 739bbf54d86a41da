import katex from 'katex';
import type { GraphDocument } from '../document/schema';
import { loadDocument } from '../document/load';
import { getKind } from '../kinds/registry';
import { TEMPLATES } from '../templates';
import type { ObjectiveSpec, ParamsOf, TermSpec } from './specs';
import { SPECS } from './specs';
import type { Params } from './tex';

/** One additive piece of a training objective, computed by one or more loss nodes. */
export interface ObjectiveTerm {
  id: string;
  /**
   * The term's TeX, wrapped as \htmlData{term=<id>}{…} so the rendered HTML carries
   * data-term="<id>" (see TERM_ATTRIBUTE) for hover linking with the graph.
   */
  tex: string;
  /** Loss node ids of the document that compute this term. */
  nodes: string[];
  /** One sentence, plain words. */
  say: string;
}

export interface Objective {
  /** Template id, e.g. 'gan-2d'. */
  template: string;
  title: string;
  /**
   * The whole objective as one display equation, the terms' TeX joined with + (one aligned line per
   * player when the model is trained in phases, e.g. min over D and min over G).
   */
  tex: string;
  terms: ObjectiveTerm[];
  note?: string;
}

/** The attribute KaTeX writes for \htmlData{term=…}: look it up on hover to find the term. */
export const TERM_ATTRIBUTE = 'data-term';

const paramsOf =
  (doc: GraphDocument): ParamsOf =>
  (id) => {
    const n = doc.nodes[id];
    if (!n) return undefined;
    const r = getKind(n.kind)?.params.safeParse(n.params);
    return r?.success ? (r.data as Params) : n.params;
  };

const wrap = (id: string, body: string) => `\\htmlData{term=${id}}{${body}}`;

/** Terms after the first of a row get an operator; a subtracted term carries its own minus. */
function joinRow(terms: Array<{ tex: string; minus: boolean }>, continues: boolean): string {
  return terms
    .map((t, i) => {
      const op = t.minus ? '' : i > 0 || continues ? '+ ' : '';
      return `${op}${t.tex}`;
    })
    .join(' ');
}

/**
 * The objective of a template written for a given document: terms whose loss node was deleted (or
 * replaced by a node of another kind) are dropped, and weights, GAN forms and reconstruction metrics
 * are read from the document's own params. Undefined when no term is left.
 */
function build(template: string, spec: ObjectiveSpec, doc: GraphDocument): Objective | undefined {
  const param = paramsOf(doc);
  const present = (t: TermSpec) => doc.nodes[t.node]?.kind === t.kind;
  const built = new Map<string, { term: ObjectiveTerm; minus: boolean }>();
  for (const t of spec.terms.filter(present)) {
    const p = param(t.node) ?? {};
    // `{}-` keeps the minus binary (spaced) although it opens the \htmlData group.
    const body = `${t.minus ? '{}-' : ''}${t.tex(p)}`;
    built.set(t.id, {
      term: { id: t.id, tex: wrap(t.id, body), nodes: [t.node], say: t.say(p) },
      minus: Boolean(t.minus),
    });
  }
  if (built.size === 0) return undefined;
  const lines: string[] = [];
  for (const block of spec.blocks) {
    const rows = block.rows
      .map((r) => r.flatMap((id) => built.get(id) ?? []).map((b) => ({ tex: b.term.tex, minus: b.minus })))
      .filter((r) => r.length > 0);
    if (rows.length === 0) continue;
    const lhs = typeof block.lhs === 'string' ? block.lhs : block.lhs(param);
    rows.forEach((r, i) =>
      lines.push(i === 0 ? `${lhs} \\;& ${joinRow(r, false)}` : `& \\quad {} ${joinRow(r, true)}`),
    );
  }
  const tex =
    lines.length === 1
      ? lines[0]!.replace(' \\;& ', ' \\; ')
      : `\\begin{aligned} ${lines.join(' \\\\ ')} \\end{aligned}`;
  const note = spec.note?.(param);
  return {
    template,
    title: spec.title,
    tex,
    terms: [...built.values()].map((b) => b.term),
    ...(note ? { note } : {}),
  };
}

const TEMPLATE_DOCS: ReadonlyArray<{ id: string; titles: string[]; doc: GraphDocument }> = TEMPLATES.flatMap(
  (t) => {
    const doc = loadDocument(t.json).doc;
    return doc ? [{ id: t.id, titles: [doc.title, t.title], doc }] : [];
  },
);

/** The objective of every bundled template, as the template ships (keys are template ids). */
export const OBJECTIVES: Readonly<Record<string, Objective>> = Object.fromEntries(
  TEMPLATE_DOCS.flatMap(({ id, doc }) => {
    const spec = SPECS[id];
    const o = spec && build(id, spec, doc);
    return o ? [[id, o] as const] : [];
  }),
);

/**
 * The objective for a document: of the template `templateId` if given, otherwise of the template whose
 * title (the JSON's or the gallery's) matches the document's. Written against the document itself, so
 * a term never points at a node that is missing from it; undefined when nothing matches or no loss of
 * the template is left.
 */
export function objectiveFor(doc: GraphDocument, templateId?: string): Objective | undefined {
  const norm = (s: string) => s.trim().toLowerCase();
  const id =
    templateId ?? TEMPLATE_DOCS.find((t) => t.titles.some((title) => norm(title) === norm(doc.title)))?.id;
  const spec = id === undefined ? undefined : SPECS[id];
  return id !== undefined && spec ? build(id, spec, doc) : undefined;
}

/**
 * The objective as KaTeX HTML. \htmlData is a "trusted" command: KaTeX renders it only with a `trust`
 * option that allows it (here exactly \htmlData, nothing that could add links or styles) and with
 * `strict` off, since it is not LaTeX. Throws on malformed TeX, which would be a bug in the specs.
 */
export function renderObjective(o: Objective): string {
  return katex.renderToString(o.tex, {
    displayMode: true,
    trust: (ctx) => ctx.command === '\\htmlData',
    strict: false,
    throwOnError: true,
  });
}

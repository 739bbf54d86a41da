import type { IrNode } from '../compiler/ir';
import type { Shape } from '../shape';

/** What a node's section of the printed program holds. */
export interface NodeCode {
  /** One line saying what the node computes, for the section comment. */
  summary: string;
  /** Helpers (by name, see prelude.ts) that the code calls. */
  helpers: string[];
  /** What the maker function is given: its owner's variable factory, the datasets, or nothing. */
  needs: 'vars' | 'data' | 'none';
  /** The maker's body; its last statement returns the forward function `(inputs, ctx) => outputs`. */
  body: string[];
}

export type Emitter = (node: IrNode) => NodeCode;

/** Printed lines stay within 110 columns; a maker's body is indented by 2. */
export const MAX_LINE = 110;
export const MAX_BODY_LINE = MAX_LINE - 2;

/** A `//` comment wrapped at word boundaries to MAX_LINE columns; `hang` indents the text itself. */
export function comment(text: string, indent = '', hang = ''): string[] {
  const prefix = `${indent}// ${hang}`;
  const lines: string[] = [];
  let cur = '';
  for (const word of oneLine(text).split(/\s+/)) {
    if (cur && prefix.length + cur.length + 1 + word.length > MAX_LINE) {
      lines.push(`${prefix}${cur}`);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  lines.push(`${prefix}${cur}`);
  return lines;
}

/** Thrown when a node cannot be printed; names the node so the message can be shown next to it. */
export class CodegenError extends Error {
  constructor(
    readonly node: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodegenError';
  }
}

/** Params as the kind's schema filled them in; the printer trusts the compiler's validation. */
export function params<P>(n: IrNode): P {
  return n.params as P;
}

/** The static feature shape of an input (without the batch); compiled programs have no other. */
export function inputShape(n: IrNode, port: string): number[] {
  const info = n.inputInfo[port];
  if (!info) throw new CodegenError(n.id, `${describe(n)} has no input '${port}' to print`);
  return staticDims(n, info.shape.slice(1));
}

export function staticDims(n: IrNode, shape: Shape): number[] {
  return shape.map((d) => {
    if (typeof d !== 'number') throw new CodegenError(n.id, `${describe(n)} has a symbolic size '${d}'`);
    return d;
  });
}

export function describe(n: IrNode): string {
  return `node '${n.id}' (${oneLine(n.label)}, ${n.kind})`;
}

/** User text (titles, labels) goes into `//` comments only; a line break would end the comment. */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JavaScript literal for plain data: numbers round-trip exactly, strings are single-quoted. */
export function lit(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot print the number ${v}`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return String(v);
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${IDENT.test(k) ? k : quote(k)}: ${lit(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  throw new Error(`cannot print ${String(v)}`);
}

export function quote(s: string): string {
  // JSON escapes quotes, backslashes and control characters; U+2028/9 would break a line in old engines.
  const body = JSON.stringify(s)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${body}'`;
}

/** `obj.key`, or `obj['key']` when the key is not an identifier. */
export function prop(obj: string, key: string): string {
  return IDENT.test(key) ? `${obj}.${key}` : `${obj}[${quote(key)}]`;
}

/** An object key: bare when it is an identifier. */
export function key(k: string): string {
  // A bare or quoted __proto__ in an object literal would set the prototype instead.
  if (k === '__proto__') return `[${quote(k)}]`;
  return IDENT.test(k) ? k : quote(k);
}

// Node values are declared inside a step's gradient callback, which itself refers only to these.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var ' +
    'void while with yield let static enum await implements package protected interface private public ' +
    'arguments eval undefined NaN Infinity tf n ctx losses'
  ).split(' '),
);

/** Hands out valid, distinct JavaScript names derived from ids (node ids may hold any character). */
export class Names {
  private readonly used = new Set<string>(RESERVED);

  reserve(...names: string[]): void {
    names.forEach((x) => this.used.add(x));
  }

  take(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!base || /^[0-9]/.test(base)) base = `_${base}`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/** Layer specs as data, one per line (nested residual bodies indented), for a generic apply. */
export function specList(specs: readonly object[], indent = ''): string[] {
  if (specs.length === 0) return ['[]'];
  const out = ['['];
  for (const s of specs) {
    const { body, ...rest } = s as { body?: object[] };
    if (!body) {
      out.push(`${indent}  ${lit(rest)},`);
      continue;
    }
    const inner = specList(body, `${indent}  `);
    out.push(`${indent}  { ${lit(rest).slice(2, -2)}, body: ${inner[0]}`, ...inner.slice(1, -1));
    out.push(`${inner[inner.length - 1]} },`);
  }
  out.push(`${indent}]`);
  return out;
}

/** `const name = f(a, b, [specs...]);` with the spec list broken over lines. */
export function callWithSpecs(prefix: string, specs: readonly object[], suffix: string): string[] {
  const lines = specList(specs);
  if (lines.length === 1) return [`${prefix}${lines[0]}${suffix}`];
  return [`${prefix}${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}${suffix}`];
}

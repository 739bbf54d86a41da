import { useMemo, useState } from 'react';
import { z } from 'zod';
import type { AnyKind } from '../core/kinds/types';
import * as cmd from '../state/commands';
import type { EditorStore } from '../state/store';

interface FieldSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  items?: { type?: string; minimum?: number; maximum?: number };
  default?: unknown;
  description?: string;
}

/** The form is generated from the kind's zod schema, through its JSON Schema. */
const schemaCache = new Map<string, Record<string, FieldSchema>>();
function fieldsOf(kind: AnyKind): Record<string, FieldSchema> {
  let f = schemaCache.get(kind.kind);
  if (!f) {
    const js = z.toJSONSchema(kind.params, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, FieldSchema>;
    };
    f = js.properties ?? {};
    // zod's .int() adds ±MAX_SAFE_INTEGER as bounds; they say nothing to a reader.
    for (const field of Object.values(f)) {
      for (const o of [field, field.items]) {
        if (o?.maximum === Number.MAX_SAFE_INTEGER) delete o.maximum;
        if (o?.minimum === Number.MIN_SAFE_INTEGER) delete o.minimum;
      }
    }
    schemaCache.set(kind.kind, f);
  }
  return f;
}

function toText(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return v === undefined ? '' : String(v);
}

/** Parses what was typed into the field's type; zod then checks ranges against the whole param set. */
function fromText(f: FieldSchema, text: string): unknown {
  const t = text.trim();
  if (f.type === 'array') {
    if (t === '') return [];
    return t.split(/[\s,]+/).map((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s));
  }
  if (f.type === 'number' || f.type === 'integer') return t === '' ? undefined : Number(t);
  return t;
}

function Field({
  store,
  nodeId,
  kind,
  name,
  f,
  value,
  explicit,
}: {
  store: EditorStore;
  nodeId: string;
  kind: AnyKind;
  name: string;
  f: FieldSchema;
  value: unknown;
  explicit: boolean;
}) {
  const [text, setText] = useState(toText(value));
  const [error, setError] = useState<string>();
  // Follow the document (undo, another field's change) unless the user is mid-edit with an error.
  // (Adjusting state while rendering, as React recommends over an effect.)
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (JSON.stringify(fromText(f, text)) !== JSON.stringify(value)) setText(toText(value));
    setError(undefined);
  }

  const commit = (v: unknown) => {
    const current = store.get().doc.nodes[nodeId]?.params ?? {};
    const r = kind.params.safeParse({ ...current, [name]: v });
    if (!r.success) {
      const issue = r.error.issues.find((i) => i.path[0] === name) ?? r.error.issues[0]!;
      setError(v === undefined ? 'required' : issue.message);
      return;
    }
    setError(undefined);
    store.change(`set ${name}`, (d) => cmd.setParam(d, nodeId, name, v), {
      merge: `param:${nodeId}:${name}`,
    });
  };

  const id = `param-${nodeId}-${name}`;
  let input;
  if (f.enum) {
    input = (
      <select id={id} value={String(value)} onChange={(e) => commit(e.target.value)}>
        {f.enum.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (f.type === 'boolean') {
    input = (
      <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => commit(e.target.checked)} />
    );
  } else {
    const numeric = f.type === 'number' || f.type === 'integer';
    input = (
      <input
        id={id}
        type="text"
        inputMode={numeric ? 'decimal' : undefined}
        value={text}
        aria-invalid={error ? true : undefined}
        placeholder={f.type === 'array' ? 'e.g. 400, 200' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          commit(fromText(f, e.target.value));
        }}
        onBlur={() => store.breakMerge()}
      />
    );
  }
  const range =
    f.type === 'array'
      ? `list of ${f.items?.type === 'integer' ? 'whole numbers' : 'values'}${f.items?.minimum !== undefined ? ` ≥ ${f.items.minimum}` : ''}`
      : f.minimum !== undefined || f.maximum !== undefined || f.exclusiveMinimum !== undefined
        ? [
            f.minimum !== undefined
              ? `≥ ${f.minimum}`
              : f.exclusiveMinimum !== undefined
                ? `> ${f.exclusiveMinimum}`
                : '',
            f.maximum !== undefined ? `≤ ${f.maximum}` : '',
          ]
            .filter(Boolean)
            .join(', ')
        : '';
  return (
    <div className={`gg-field${error ? ' invalid' : ''}`} data-param={name}>
      <label htmlFor={id}>
        {name}
        {explicit && (
          <button
            type="button"
            className="gg-reset"
            title={`back to the default, ${toText(f.default)}`}
            onClick={() => {
              store.breakMerge();
              store.change(`reset ${name}`, (d) => cmd.setParam(d, nodeId, name, undefined));
            }}
          >
            ↺
          </button>
        )}
      </label>
      {input}
      <small className="gg-field-help">
        {f.description}
        {range && <span className="gg-range"> ({range})</span>}
      </small>
      {error && (
        <small className="gg-field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/** The selected node's params as a form, validated as you type; only valid values reach the document. */
export function ParamForm({
  store,
  nodeId,
  kind,
  params,
  explicit,
}: {
  store: EditorStore;
  nodeId: string;
  kind: AnyKind;
  params: Record<string, unknown>;
  explicit: Record<string, unknown>;
}) {
  const fields = useMemo(() => fieldsOf(kind), [kind]);
  const names = Object.keys(fields);
  if (names.length === 0) return <p className="gg-muted">This node has no settings.</p>;
  return (
    <div className="gg-form" data-testid="param-form">
      {names.map((n) => (
        <Field
          key={`${nodeId}:${n}`}
          store={store}
          nodeId={nodeId}
          kind={kind}
          name={n}
          f={fields[n]!}
          value={params[n]}
          explicit={n in explicit}
        />
      ))}
    </div>
  );
}

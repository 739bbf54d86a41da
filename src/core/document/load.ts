import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics';
import { CURRENT_VERSION, FORMAT, GraphDocument } from './schema';
import type { Migration, RawDoc } from './migrations';
import { MIGRATIONS, migrate } from './migrations';

export interface LoadResult {
  /** Present when the file is a readable graph; it may still carry diagnostics to fix in the editor. */
  doc?: GraphDocument;
  diagnostics: Diagnostic[];
}

/**
 * The one load path for saved files, share links and templates: parse, read the version, migrate,
 * validate. It never throws; everything wrong is a diagnostic naming the node, edge or field.
 */
export function loadDocument(
  input: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  currentVersion: number = CURRENT_VERSION,
): LoadResult {
  try {
    return loadUnsafe(input, migrations, currentVersion);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [{ severity: 'error', code: 'load-failed', message: `could not load: ${message}` }],
    };
  }
}

function fail(code: string, message: string, field?: string): LoadResult {
  return { diagnostics: [{ severity: 'error', code, message, ...(field ? { field } : {}) }] };
}

function loadUnsafe(
  input: unknown,
  migrations: Readonly<Record<number, Migration>>,
  currentVersion: number,
): LoadResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      return fail('not-json', `the file is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('not-a-graph', 'the file does not contain a GenGraph document (expected a JSON object)');
  }
  const obj = raw as RawDoc;
  if (obj.format !== FORMAT) {
    return fail('not-a-graph', `this is not a GenGraph document: "format" should be "${FORMAT}"`, 'format');
  }
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return fail('bad-version', '"version" must be a whole number', 'version');
  }
  if (version > currentVersion) {
    return fail(
      'newer-version',
      `this graph was saved by a newer GenGraph (format version ${version}; this one reads up to ${currentVersion})`,
      'version',
    );
  }
  const migrated = migrate(obj, version, currentVersion, migrations);
  const parsed = GraphDocument.safeParse(migrated);
  if (!parsed.success) return { diagnostics: parsed.error.issues.map((i) => issueToDiagnostic(i, migrated)) };
  return { doc: parsed.data, diagnostics: [] };
}

export function issueToDiagnostic(issue: z.core.$ZodIssue, raw: RawDoc): Diagnostic {
  const path = issue.path.map(String);
  const field = path.join('.');
  const d: Diagnostic = { severity: 'error', code: 'invalid-field', message: '', field };
  const [top, id, sub] = path;
  let subject = field ? `"${field}"` : 'the document';
  if (top === 'nodes' && id !== undefined) {
    d.node = id;
    subject = sub ? `node '${id}', field "${path.slice(2).join('.')}"` : `node '${id}'`;
  } else if (top === 'edges' && id !== undefined) {
    d.edge = id;
    subject = `wire '${id}'${sub ? `, field "${path.slice(2).join('.')}"` : ''}`;
  } else if (top === 'training' && id === 'phases' && sub !== undefined) {
    const phases = (raw.training as { phases?: Array<{ id?: unknown }> } | undefined)?.phases;
    const pid = phases?.[Number(sub)]?.id;
    if (typeof pid === 'string') d.phase = pid;
    subject = `training phase ${typeof pid === 'string' ? `'${pid}'` : Number(sub) + 1}${
      path.length > 3 ? `, field "${path.slice(3).join('.')}"` : ''
    }`;
  }
  d.message = `${subject}: ${issue.message}`;
  return d;
}

/** Stable serialisation: the same document always gives the same text. */
export function serializeDocument(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

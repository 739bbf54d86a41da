import { useSyncExternalStore } from 'react';
import { analyze } from '../core/graph/analyze';
import type { Analysis } from '../core/graph/analyze';
import type { GraphDocument } from '../core/document/schema';
import { loadDocument } from '../core/document/load';
import type { Diagnostic } from '../core/diagnostics';
import { templateById } from '../core/templates';

export interface EditorState {
  doc: GraphDocument;
  /** Derived from doc on every change: shapes, diagnostics, order. */
  analysis: Analysis;
  selection: string[];
  /** Bumped on every change to the document; a run compiled from an older revision is stale. */
  revision: number;
  /** The last load that failed: shown to the user, while the graph stays as it was. */
  loadError?: Diagnostic[];
}

type Listener = () => void;

/** The editor's document store. Only the document is meant to be undoable; selection is view state. */
export class EditorStore {
  private state: EditorState;
  private listeners = new Set<Listener>();

  constructor(doc: GraphDocument) {
    this.state = { doc, analysis: analyze(doc), selection: [], revision: 0 };
  }

  get = (): EditorState => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(next: Partial<EditorState>): void {
    const doc = next.doc ?? this.state.doc;
    const changed = next.doc !== undefined && next.doc !== this.state.doc;
    this.state = {
      ...this.state,
      ...next,
      analysis: changed ? analyze(doc) : this.state.analysis,
      revision: this.state.revision + (changed ? 1 : 0),
    };
    for (const l of this.listeners) l();
  }

  setDoc(doc: GraphDocument): void {
    this.set({ doc });
  }

  select(ids: string[]): void {
    if (ids.join() !== this.state.selection.join()) this.set({ selection: ids });
  }

  /** Loads a file or template; on failure keeps the current graph and records what was wrong. */
  load(input: unknown): boolean {
    const r = loadDocument(input);
    if (!r.doc) {
      this.set({ loadError: r.diagnostics });
      return false;
    }
    this.set({ doc: r.doc, selection: [], loadError: undefined });
    return true;
  }

  dismissLoadError(): void {
    this.set({ loadError: undefined });
  }
}

export function initialDocument(): GraphDocument {
  const r = loadDocument(templateById('vae')!.json);
  if (!r.doc) throw new Error('the bundled VAE template does not load');
  return r.doc;
}

export function useEditor<T>(store: EditorStore, select: (s: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

import { useSyncExternalStore } from 'react';
import { applyPatches, enablePatches, produceWithPatches } from 'immer';
import type { Draft, Patch } from 'immer';
import { analyze } from '../core/graph/analyze';
import { compile } from '../core/compiler/compile';
import type { Analysis } from '../core/graph/analyze';
import type { GraphDocument } from '../core/document/schema';
import { loadDocument } from '../core/document/load';
import { applyPreset, hasPresets } from '../core/document/presets';
import type { Diagnostic } from '../core/diagnostics';
import { templateById } from '../core/templates';

export interface EditorState {
  doc: GraphDocument;
  /** Derived from doc on every change: shapes, diagnostics, order. */
  analysis: Analysis;
  /** Everything the compiler says about doc (analysis plus plan and outputs): the problems list. */
  problems: Diagnostic[];
  selection: string[];
  /** Bumped on every change to the document; a run compiled from an older revision is stale. */
  revision: number;
  /** The last load that failed: shown to the user, while the graph stays as it was. */
  loadError?: Diagnostic[];
  /** What failed to load: 'file model.json', 'the share link'. */
  loadSource?: string;
  canUndo: boolean;
  canRedo: boolean;
  /**
   * The preset the next run uses (view state, not part of the document or its history). Read it
   * through activePreset: after an undo the document may no longer have it.
   */
  preset: string;
}

/** A template opens on its tiny preset when it has one, so a first press of Train answers in seconds. */
export function defaultPreset(doc: GraphDocument): string {
  return doc.presets.tiny ? 'tiny' : '';
}

/**
 * The preset a run would use ('thicken,tiny' names two, applied in order): the chosen one if this
 * document defines every preset it names, else none (full size).
 */
export function activePreset(s: EditorState): string {
  return hasPresets(s.doc, s.preset) ? s.preset : '';
}

const presetAnalyses = new WeakMap<Analysis, Map<string, Analysis>>();

/**
 * The graph as a run would train it: analysis of the document with the active preset applied (the
 * tiny DDPM has T = 20; CycleGAN's thicken preset gives the translators two downsamplings). Without
 * a preset it is the document's own analysis. Kept per preset beside the document's analysis, which
 * survives layout-only changes: every view that asks shares one, and a drag analyses nothing.
 */
export function trainedAnalysis(s: EditorState): Analysis {
  const preset = activePreset(s);
  if (!preset) return s.analysis;
  let byPreset = presetAnalyses.get(s.analysis);
  if (!byPreset) presetAnalyses.set(s.analysis, (byPreset = new Map()));
  let analysis = byPreset.get(preset);
  if (!analysis) {
    try {
      analysis = analyze(applyPreset(s.doc, preset));
    } catch {
      // A preset that cannot be applied to this graph: show the graph as drawn.
      analysis = s.analysis;
    }
    byPreset.set(preset, analysis);
  }
  return analysis;
}

enablePatches();

interface HistoryEntry {
  label: string;
  patches: Patch[];
  inverse: Patch[];
  /** Consecutive changes with the same key (a drag, typing in one field) are one undo step. */
  mergeKey?: string;
}

const HISTORY_LIMIT = 500;

function onlyMoves(patches: readonly Patch[]): boolean {
  return patches.every((p) => p.path[0] === 'nodes' && p.path[2] === 'position');
}

type Listener = () => void;

/** The editor's document store. Only the document is meant to be undoable; selection is view state. */
export class EditorStore {
  private state: EditorState;
  private listeners = new Set<Listener>();

  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private gestures = 0;

  constructor(doc: GraphDocument) {
    const analysis = analyze(doc);
    this.state = {
      doc,
      analysis,
      problems: compile(doc, analysis).diagnostics,
      selection: [],
      revision: 0,
      canUndo: false,
      canRedo: false,
      preset: defaultPreset(doc),
    };
  }

  get = (): EditorState => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(next: Partial<EditorState>, layoutOnly = false): void {
    const doc = next.doc ?? this.state.doc;
    const changed = next.doc !== undefined && next.doc !== this.state.doc;
    // Moving nodes changes no shape or plan: keep the analysis (drags stay cheap on big graphs).
    const reanalyse = changed && !layoutOnly;
    const analysis = reanalyse ? analyze(doc) : this.state.analysis;
    this.state = {
      ...this.state,
      ...next,
      analysis,
      problems: reanalyse ? compile(doc, analysis).diagnostics : this.state.problems,
      revision: this.state.revision + (changed ? 1 : 0),
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
    };
    for (const l of this.listeners) l();
  }

  /**
   * The one way to change the document: runs an editing recipe, records its patches for undo and
   * returns what the recipe returns. A change that alters nothing records nothing.
   */
  change<R>(label: string, recipe: (d: Draft<GraphDocument>) => R, opts: { merge?: string } = {}): R {
    let result: R | undefined;
    const [doc, patches, inverse] = produceWithPatches(this.state.doc, (d) => {
      result = recipe(d);
    });
    this.record(label, doc, patches, inverse, opts.merge);
    return result as R;
  }

  /** Replaces the whole document (a template, a file, New) as one undo step. */
  replace(doc: GraphDocument, label: string): void {
    const [next, patches, inverse] = produceWithPatches(this.state.doc, () => doc);
    this.record(label, next, patches, inverse);
    this.set({ selection: [], loadError: undefined, preset: defaultPreset(doc) });
  }

  setPreset(name: string): void {
    if (name !== this.state.preset) this.set({ preset: name });
  }

  private record(label: string, doc: GraphDocument, patches: Patch[], inverse: Patch[], merge?: string) {
    if (patches.length === 0) return;
    const top = this.undoStack[this.undoStack.length - 1];
    if (merge && top && top.mergeKey === merge) {
      top.patches = [...top.patches, ...patches];
      top.inverse = [...inverse, ...top.inverse];
    } else {
      this.undoStack.push({ label, patches, inverse, mergeKey: merge });
      if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    }
    this.redoStack = [];
    this.set({ doc, selection: this.liveSelection(doc, this.state.selection) }, onlyMoves(patches));
  }

  /** Ends merging: the next change starts a new undo step even if its key repeats (a blur, a drop). */
  breakMerge(): void {
    const top = this.undoStack[this.undoStack.length - 1];
    if (top) top.mergeKey = undefined;
  }

  /** A fresh key for one gesture (a drag), so its many small changes merge into one step. */
  gestureKey(prefix: string): string {
    return `${prefix}#${++this.gestures}`;
  }

  undo(): boolean {
    const e = this.undoStack.pop();
    if (!e) return false;
    this.redoStack.push(e);
    const doc = applyPatches(this.state.doc, e.inverse);
    this.set({ doc, selection: this.liveSelection(doc, this.state.selection) }, onlyMoves(e.inverse));
    return true;
  }

  redo(): boolean {
    const e = this.redoStack.pop();
    if (!e) return false;
    this.undoStack.push({ ...e, mergeKey: undefined });
    const doc = applyPatches(this.state.doc, e.patches);
    this.set({ doc, selection: this.liveSelection(doc, this.state.selection) }, onlyMoves(e.patches));
    return true;
  }

  /** Labels of the steps undo and redo would take, newest first (for tooltips). */
  historyLabels(): { undo?: string; redo?: string } {
    return {
      undo: this.undoStack[this.undoStack.length - 1]?.label,
      redo: this.redoStack[this.redoStack.length - 1]?.label,
    };
  }

  private liveSelection(doc: GraphDocument, sel: string[]): string[] {
    const live = sel.filter((id) =>
      id.startsWith('group:') ? doc.groups[id.slice('group:'.length)] : doc.nodes[id],
    );
    return live.length === sel.length ? sel : live;
  }

  select(ids: string[]): void {
    if (ids.join() !== this.state.selection.join()) this.set({ selection: ids });
  }

  /** Loads a file or template; on failure keeps the current graph and records what was wrong. */
  load(input: unknown, source?: string): boolean {
    const r = loadDocument(input);
    if (!r.doc) {
      this.set({ loadError: r.diagnostics, loadSource: source });
      return false;
    }
    this.replace(r.doc, 'open graph');
    return true;
  }

  /** Records a load that failed before reaching the load path (a damaged link, an unreadable file). */
  fail(source: string, message: string): void {
    this.set({ loadError: [{ severity: 'error', code: 'load-failed', message }], loadSource: source });
  }

  dismissLoadError(): void {
    this.set({ loadError: undefined, loadSource: undefined });
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

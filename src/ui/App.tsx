import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { emptyDocument } from '../core/document/schema';
import { getKind } from '../core/kinds/registry';
import * as cmd from '../state/commands';
import { encodeShareFragment, saveAutosave, serialize } from '../state/persistence';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import type { Trainer } from '../state/trainer';
import { Canvas } from './Canvas';
import { FIT_PADDING, frameId } from './canvas-model';
import { CodeView } from './CodeView';
import { Compare } from './Compare';
import { Dashboard } from './dash/Dashboard';
import { downloadBlob } from './download';
import { HelpPanel, TemplateGallery } from './Dialogs';
import { layoutPositions } from './layout';
import { Palette } from './Palette';
import { Sidebar } from './Sidebar';
import { isTyping, useClipboard } from './useClipboard';
import { TrainingBar, useTrainingSelect } from './TrainingBar';

type Dialog = 'code' | 'templates' | 'help' | 'compare' | undefined;

function Shell({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const [dialog, setDialog] = useState<Dialog>();
  const [toast, setToast] = useState<string>();
  const [highlight, setHighlight] = useState<ReadonlySet<string>>();
  const title = useEditor(store, (s) => s.doc.title);
  const loadError = useEditor(store, (s) => s.loadError);
  const loadSource = useEditor(store, (s) => s.loadSource);
  const canUndo = useEditor(store, (s) => s.canUndo);
  const canRedo = useEditor(store, (s) => s.canRedo);
  const flow = useReactFlow();
  const fileInput = useRef<HTMLInputElement>(null);

  const say = useCallback((msg: string) => {
    setToast(msg);
    window.setTimeout(() => setToast((t) => (t === msg ? undefined : t)), 3500);
  }, []);

  // Autosave: every change to the document is in the browser within half a second.
  useEffect(() => {
    let timer: number | undefined;
    let last = store.get().doc;
    const unsubscribe = store.subscribe(() => {
      const doc = store.get().doc;
      if (doc === last) return;
      last = doc;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => saveAutosave(doc), 300);
    });
    const flush = () => saveAutosave(store.get().doc);
    window.addEventListener('pagehide', flush);
    return () => {
      unsubscribe();
      window.removeEventListener('pagehide', flush);
      window.clearTimeout(timer);
    };
  }, [store]);

  // Hovering a wire while a model is trained shows what flows through it (16 examples, test data).
  const revision = useEditor(store, (s) => s.revision);
  const trainedRevision = useTrainingSelect(trainer, (t) =>
    t.status.kind === 'ready' ? t.compiledRevision : -1,
  );
  const canRead = trainedRevision === revision;
  const readPort = useMemo(
    () =>
      canRead
        ? async (ref: { node: string; port: string }) =>
            (await trainer.probe({ refs: [ref], n: 16, split: 'test' })).values[0]!
        : undefined,
    [canRead, trainer],
  );

  const centre = useCallback(() => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    if (!el) return { x: 0, y: 0 };
    return flow.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 });
  }, [flow]);

  const addAtCentre = useCallback(
    (kind: string) => {
      const c = centre();
      // Stagger nodes added one after another so they do not stack exactly.
      const k = Object.keys(store.get().doc.nodes).length % 6;
      const id = store.change(`add ${getKind(kind)?.title ?? kind}`, (d) =>
        cmd.addNode(d, kind, { x: c.x - 95 + k * 24, y: c.y - 40 + k * 24 }),
      );
      store.select([id]);
    },
    [centre, store],
  );

  const openFile = useCallback(
    async (file: File) => {
      const text = await file.text();
      if (store.load(text, `the file ${file.name}`)) {
        say(`Opened ${file.name}`);
        window.setTimeout(() => void flow.fitView(FIT_PADDING), 50);
      }
    },
    [store, say, flow],
  );

  const actions = {
    newGraph: () => store.replace(emptyDocument(), 'new graph'),
    open: () => fileInput.current?.click(),
    save: () => {
      const doc = store.get().doc;
      const name = `${doc.title.replace(/[^A-Za-z0-9_-]+/g, '-').toLowerCase() || 'graph'}.json`;
      downloadBlob(new Blob([serialize(doc)], { type: 'application/json' }), name);
      say(`Saved ${name}`);
    },
    share: async () => {
      const frag = await encodeShareFragment(store.get().doc);
      const url = `${location.origin}${location.pathname}#${frag}`;
      try {
        await navigator.clipboard.writeText(url);
        say('Share link copied to the clipboard');
      } catch {
        window.prompt('Copy this link', url);
      }
      history.replaceState(null, '', `#${frag}`);
    },
    layout: () => {
      const sizes: Record<string, { width: number; height: number }> = {};
      for (const n of flow.getNodes())
        if (n.measured?.width && n.measured.height)
          sizes[n.id] = { width: n.measured.width, height: n.measured.height };
      const pos = layoutPositions(store.get().doc, sizes);
      store.change('auto-layout', (d) => cmd.moveNodes(d, pos));
      window.setTimeout(() => void flow.fitView({ ...FIT_PADDING, duration: 200 }), 50);
    },
    selectAll: () => store.select(Object.keys(store.get().doc.nodes)),
    selectedNodes: () => store.get().selection.filter((id) => !id.startsWith('group:')),
    duplicate: () => {
      const ids = actions.selectedNodes();
      if (!ids.length) return;
      const frag = cmd.copyFragment(store.get().doc, ids);
      const added = store.change('duplicate', (d) => cmd.pasteFragment(d, frag, { x: 40, y: 40 }));
      store.select(added);
    },
    group: () => {
      const ids = actions.selectedNodes();
      if (!ids.length) return say('Select the nodes of a network first (Shift+click or drag a box)');
      const doc = store.get().doc;
      const net = ids.find((id) => getKind(doc.nodes[id]!.kind)?.trainable);
      const label = net ? (doc.nodes[net]!.label ?? getKind(doc.nodes[net]!.kind)!.title) : 'Group';
      const gid = store.change('group', (d) => cmd.group(d, ids, label));
      if (gid) store.select([frameId(gid)]);
    },
    ungroup: () => {
      const gids = store
        .get()
        .selection.filter((id) => id.startsWith('group:'))
        .map((id) => id.slice('group:'.length));
      if (gids.length) store.change('ungroup', (d) => gids.forEach((g) => cmd.ungroup(d, g)));
    },
  };

  useClipboard(store, say);

  // Keyboard shortcuts; the help panel (?) lists the same table.
  const actionsRef = useRef(actions);
  useEffect(() => {
    actionsRef.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = actionsRef.current;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (e.key === 'Escape') {
        setDialog(undefined);
        if (!isTyping(e.target)) store.select([]);
        return;
      }
      if (mod && k === 's') {
        e.preventDefault();
        a.save();
        return;
      }
      if (mod && k === 'o') {
        e.preventDefault();
        a.open();
        return;
      }
      if (isTyping(e.target)) return;
      if (mod && k === 'z') {
        e.preventDefault();
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (mod && k === 'y') {
        e.preventDefault();
        store.redo();
      } else if (mod && k === 'd') {
        e.preventDefault();
        a.duplicate();
      } else if (mod && k === 'a') {
        e.preventDefault();
        a.selectAll();
      } else if (mod && k === 'g') {
        e.preventDefault();
        if (e.shiftKey) a.ungroup();
        else a.group();
      } else if (!mod && !e.altKey && e.key === '?') {
        setDialog((d) => (d === 'help' ? undefined : 'help'));
      } else if (!mod && !e.altKey && k === 'l') {
        a.layout();
      } else if (!mod && !e.altKey && k === 'f') {
        void flow.fitView({ ...FIT_PADDING, duration: 200 });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, flow]);

  const labels = store.historyLabels();
  return (
    <div className="gg-app">
      <header className="gg-toolbar">
        <span className="gg-logo">GenGraph</span>
        <span className="gg-doc-title" data-testid="doc-title">
          {title}
        </span>
        <div className="gg-tools" role="toolbar" aria-label="File and edit">
          <button
            type="button"
            onClick={actions.newGraph}
            title="Start an empty graph (undo brings the old one back)"
          >
            New
          </button>
          <button
            type="button"
            onClick={actions.open}
            title="Open a .json graph (Ctrl+O); or drop one on the canvas"
          >
            Open…
          </button>
          <button type="button" onClick={actions.save} title="Save the graph as a .json file (Ctrl+S)">
            Save
          </button>
          <button
            type="button"
            onClick={() => void actions.share()}
            title="Copy a link that carries this whole graph"
          >
            Share link
          </button>
          <span className="gg-sep" />
          <button
            type="button"
            onClick={() => store.undo()}
            disabled={!canUndo}
            title={`Undo ${labels.undo ?? ''} (Ctrl+Z)`}
            aria-label="Undo"
          >
            ↶
          </button>
          <button
            type="button"
            onClick={() => store.redo()}
            disabled={!canRedo}
            title={`Redo ${labels.redo ?? ''} (Shift+Ctrl+Z)`}
            aria-label="Redo"
          >
            ↷
          </button>
          <button type="button" onClick={actions.layout} title="Arrange the graph left to right (L)">
            Auto-layout
          </button>
          <button
            type="button"
            onClick={actions.group}
            title="Group the selected nodes into a named frame (Ctrl+G)"
          >
            Group
          </button>
        </div>
        <div className="gg-tools right">
          <button type="button" className="primary-outline" onClick={() => setDialog('templates')}>
            Templates
          </button>
          <button
            type="button"
            onClick={() => setDialog('compare')}
            title="See two graphs side by side, with what differs"
          >
            Compare
          </button>
          <button type="button" className="gg-view-code" onClick={() => setDialog('code')}>
            View code
          </button>
          <button
            type="button"
            onClick={() => setDialog('help')}
            aria-label="Keyboard shortcuts"
            title="Shortcuts (?)"
          >
            ?
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="open-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void openFile(f);
          }}
        />
      </header>
      <TrainingBar store={store} trainer={trainer} />
      {loadError && (
        <div className="gg-load-error" role="alert" data-testid="load-error">
          <strong>Could not open {loadSource ?? 'that graph'}; your current graph is unchanged.</strong>
          <ul>
            {loadError.map((d, i) => (
              <li key={i}>{d.message}</li>
            ))}
          </ul>
          <button type="button" onClick={() => store.dismissLoadError()}>
            Dismiss
          </button>
        </div>
      )}
      {dialog === 'code' && <CodeView store={store} onClose={() => setDialog(undefined)} />}
      {dialog === 'templates' && (
        <TemplateGallery
          onPick={(json) => {
            setDialog(undefined);
            if (store.load(json, 'the template')) window.setTimeout(() => void flow.fitView(FIT_PADDING), 50);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'help' && <HelpPanel onClose={() => setDialog(undefined)} />}
      {dialog === 'compare' && <Compare store={store} onClose={() => setDialog(undefined)} />}
      <main className="gg-main">
        <Palette onAdd={addAtCentre} />
        <div className="gg-center">
          <Canvas
            store={store}
            onOpenFile={(f) => void openFile(f)}
            highlight={highlight}
            readPort={readPort}
          />
          <Dashboard store={store} trainer={trainer} onHighlight={setHighlight} />
        </div>
        <Sidebar store={store} trainer={trainer} />
      </main>
      {toast && (
        <div className="gg-toast" role="status">
          {toast}
        </div>
      )}
    </div>
  );
}

export function App({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  return (
    <ReactFlowProvider>
      <Shell store={store} trainer={trainer} />
    </ReactFlowProvider>
  );
}

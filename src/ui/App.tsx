import { ReactFlowProvider } from '@xyflow/react';
import { TEMPLATES } from '../core/templates';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import { useState } from 'react';
import { Canvas } from './Canvas';
import { CodeView } from './CodeView';
import { Sidebar } from './Sidebar';
import { TrainingBar } from './TrainingBar';
import type { Trainer } from '../state/trainer';

export function App({ store, trainer }: { store: EditorStore; trainer: Trainer }) {
  const [showCode, setShowCode] = useState(false);
  const title = useEditor(store, (s) => s.doc.title);
  const loadError = useEditor(store, (s) => s.loadError);
  return (
    <ReactFlowProvider>
      <div className="gg-app">
        <header className="gg-toolbar">
          <span className="gg-logo">GenGraph</span>
          <span className="gg-doc-title" data-testid="doc-title">
            {title}
          </span>
          <button type="button" className="gg-view-code" onClick={() => setShowCode(true)}>
            View code
          </button>
          <label className="gg-template-pick">
            Template{' '}
            <select
              aria-label="Load a template"
              value=""
              onChange={(e) => {
                const t = TEMPLATES.find((x) => x.id === e.target.value);
                if (t) store.load(t.json);
              }}
            >
              <option value="">choose…</option>
              {TEMPLATES.map((t) => (
                <option key={t.id} value={t.id} title={t.teaches}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
        </header>
        <TrainingBar store={store} trainer={trainer} />
        {loadError && (
          <div className="gg-load-error" role="alert">
            <strong>Could not open that graph; your current graph is unchanged.</strong>
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
        {showCode && <CodeView store={store} onClose={() => setShowCode(false)} />}
        <main className="gg-main">
          <Canvas store={store} />
          <Sidebar store={store} trainer={trainer} />
        </main>
      </div>
    </ReactFlowProvider>
  );
}

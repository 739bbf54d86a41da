import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/app.css';
import { App } from './ui/App';
import { loadDocument } from './core/document/load';
import { EditorStore, initialDocument } from './state/store';
import { decodeShareFragment, readAutosave } from './state/persistence';
import { Trainer } from './state/trainer';
import { TEMPLATES } from './core/templates';

// Start from the autosaved graph when there is one; a share link in the URL is opened on top of it,
// as one undo step, so the graph someone had open is never lost.
const saved = readAutosave();
const restored = saved ? loadDocument(saved) : undefined;
const store = new EditorStore(restored?.doc ?? initialDocument());
if (saved && !restored?.doc) store.load(saved, 'the autosaved graph');
const trainer = new Trainer();

void decodeShareFragment(location.hash).then((link) => {
  if (!link) return;
  if ('error' in link) {
    store.fail('the share link', link.error);
  } else store.load(link.text, 'the share link');
  history.replaceState(null, '', location.pathname + location.search);
});

// A small window API for browser tests and for people poking at the app from the console.
(window as unknown as { gengraph: unknown }).gengraph = { store, trainer, templates: TEMPLATES };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} trainer={trainer} />
  </StrictMode>,
);

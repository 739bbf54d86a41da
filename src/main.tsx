import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/app.css';
import { App } from './ui/App';
import { EditorStore, initialDocument } from './state/store';
import { Trainer } from './state/trainer';
import { TEMPLATES } from './core/templates';

const store = new EditorStore(initialDocument());
const trainer = new Trainer();

// A small window API for browser tests and for people poking at the app from the console.
(window as unknown as { gengraph: unknown }).gengraph = { store, trainer, templates: TEMPLATES };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} trainer={trainer} />
  </StrictMode>,
);

import { useMemo } from 'react';
import { compile } from '../core/compiler/compile';
import { printProgram } from '../core/codegen';
import { formatDiagnostic } from '../core/diagnostics';
import type { EditorStore } from '../state/store';
import { useEditor } from '../state/store';
import { downloadBlob } from './download';

/** "View code": the compiled program printed as standalone TF.js, to read, copy or download. */
export function CodeView({ store, onClose }: { store: EditorStore; onClose: () => void }) {
  const doc = useEditor(store, (s) => s.doc);
  const analysis = useEditor(store, (s) => s.analysis);
  const result = useMemo(() => {
    const c = compile(doc, analysis);
    if (!c.program) return { error: c.diagnostics.map(formatDiagnostic).join('\n') };
    try {
      return { code: printProgram(c.program) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [doc, analysis]);
  const file = `${doc.title.replace(/\W+/g, '-').toLowerCase()}.mjs`;
  const download = () => downloadBlob(new Blob([result.code ?? ''], { type: 'text/javascript' }), file);
  return (
    <div className="gg-modal" role="dialog" aria-label="Code" data-testid="code-view">
      <header>
        <strong>{file}</strong>
        <span className="gg-muted"> standalone TF.js: the model, its phases and the training loop</span>
        <span className="gg-spacer" />
        {result.code && (
          <>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(result.code)}>
              Copy
            </button>
            <button type="button" onClick={download}>
              Download
            </button>
          </>
        )}
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      {result.code ? (
        <pre className="gg-code">{result.code}</pre>
      ) : (
        <p className="gg-banner bad">
          This graph does not compile yet:{'\n'}
          {result.error}
        </p>
      )}
    </div>
  );
}

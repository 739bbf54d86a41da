import { useMemo } from 'react';
import { loadDocument } from '../core/document/load';
import { TEMPLATES } from '../core/templates';
import { getKind } from '../core/kinds/registry';
import { CATEGORY_COLORS } from './theme';

function Modal({
  label,
  testId,
  onClose,
  children,
  narrow,
}: {
  label: string;
  testId: string;
  onClose(): void;
  children: React.ReactNode;
  narrow?: boolean;
}) {
  return (
    <div className="gg-backdrop" onClick={onClose}>
      <div
        className={`gg-modal${narrow ? ' narrow' : ''}`}
        role="dialog"
        aria-label={label}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <strong>{label}</strong>
          <span className="gg-spacer" />
          <button type="button" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="gg-modal-body">{children}</div>
      </div>
    </div>
  );
}

/** One click loads a template; each card says what it teaches and what it is made of. */
export function TemplateGallery({ onPick, onClose }: { onPick(json: unknown): void; onClose(): void }) {
  const cards = useMemo(
    () =>
      TEMPLATES.map((t) => {
        const doc = loadDocument(t.json).doc;
        const nodes = Object.values(doc?.nodes ?? {});
        const cats = nodes.map((n) => getKind(n.kind)?.category ?? 'op');
        return {
          t,
          nets: nodes.filter((n) => getKind(n.kind)?.trainable && !n.shares).length,
          losses: cats.filter((c) => c === 'loss').length,
          phases: doc?.training.phases.length ?? 0,
          cats,
        };
      }),
    [],
  );
  return (
    <Modal label="Templates" testId="template-gallery" onClose={onClose}>
      <p className="gg-muted">
        Each template is a complete model you can train at once, and a lesson in how its family works. Loading
        one is a single undo step.
      </p>
      <div className="gg-gallery">
        {cards.map(({ t, nets, losses, phases, cats }) => (
          <button
            type="button"
            key={t.id}
            className="gg-card"
            data-template={t.id}
            onClick={() => onPick(t.json)}
          >
            <span className="gg-card-title">{t.title}</span>
            <span className="gg-card-teaches">{t.teaches}</span>
            <span className="gg-card-strip" aria-hidden>
              {cats.map((c, i) => (
                <i key={i} style={{ background: CATEGORY_COLORS[c] }} />
              ))}
            </span>
            <span className="gg-card-meta">
              {nets} network{nets === 1 ? '' : 's'} · {losses} loss{losses === 1 ? '' : 'es'} · {phases} phase
              {phases === 1 ? '' : 's'}
            </span>
          </button>
        ))}
      </div>
    </Modal>
  );
}

export const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Shift Ctrl/⌘ Z, Ctrl Y', 'Redo'],
  ['Delete, Backspace', 'Delete the selected nodes and wires'],
  ['Ctrl/⌘ C, X, V', 'Copy, cut, paste (as JSON: works between tabs)'],
  ['Ctrl/⌘ D', 'Duplicate the selection'],
  ['Ctrl/⌘ A', 'Select every node'],
  ['Shift click, Shift drag', 'Add to the selection; select with a box'],
  ['Ctrl/⌘ G', 'Group the selection into a named frame'],
  ['Shift Ctrl/⌘ G', 'Ungroup the selected frame'],
  ['L', 'Auto-layout, left to right'],
  ['F', 'Fit the graph in view'],
  ['Ctrl/⌘ S', 'Save as a .json file'],
  ['Ctrl/⌘ O', 'Open a .json file (or drop it on the canvas)'],
  ['Esc', 'Close a panel; clear the selection'],
  ['?', 'This list'],
];

export function HelpPanel({ onClose }: { onClose(): void }) {
  return (
    <Modal label="Keyboard shortcuts" testId="help-panel" onClose={onClose} narrow>
      <table className="gg-shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <th>
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="gg-muted">
        Build a model: drag nodes from the palette, wire an output (right side of a node) to an input (left
        side). A wire that cannot connect is refused while you drag, with the reason. Shapes appear on every
        wire.
      </p>
    </Modal>
  );
}

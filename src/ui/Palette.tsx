import { useMemo, useState } from 'react';
import { KINDS } from '../core/kinds/registry';
import type { AnyKind, Category } from '../core/kinds/types';
import { CATEGORY_TITLES } from '../core/kinds/types';
import { PORT_TYPES, PORT_TYPE_DOC } from '../core/shape';
import { CATEGORY_COLORS, PORT_COLORS } from './theme';

/** The drag payload type: a kind id dropped on the canvas adds a node there. */
export const KIND_MIME = 'application/x-gengraph-kind';

function matches(k: AnyKind, q: string): boolean {
  if (!q) return true;
  const hay = `${k.title} ${k.kind} ${k.summary} ${CATEGORY_TITLES[k.category]}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** Every node kind by category, with search; drag one onto the canvas or click to add it at the centre. */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const by = new Map<Category, AnyKind[]>();
    for (const k of KINDS) if (matches(k, query)) by.set(k.category, [...(by.get(k.category) ?? []), k]);
    return [...by.entries()];
  }, [query]);
  return (
    <nav className="gg-palette" aria-label="Node palette" data-testid="palette">
      <input
        type="search"
        className="gg-palette-search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          // Enter adds the first match: keyboard-only building.
          const first = groups[0]?.[1][0];
          if (e.key === 'Enter' && first) onAdd(first.kind);
          if (e.key === 'Escape') setQuery('');
        }}
      />
      <div className="gg-palette-list">
        {groups.length === 0 && <p className="gg-muted">No node matches “{query}”.</p>}
        {groups.map(([cat, kinds]) => (
          <section key={cat}>
            <h3 style={{ color: CATEGORY_COLORS[cat] }}>{CATEGORY_TITLES[cat]}</h3>
            {kinds.map((k) => (
              <button
                type="button"
                key={k.kind}
                className="gg-palette-item"
                draggable
                data-kind={k.kind}
                style={{ borderLeftColor: CATEGORY_COLORS[cat] }}
                title={`${k.doc}\n\nDrag onto the canvas, or click to add at the centre.`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(KIND_MIME, k.kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => onAdd(k.kind)}
              >
                <span className="gg-palette-title">{k.title}</span>
                <span className="gg-palette-summary">{k.summary}</span>
              </button>
            ))}
          </section>
        ))}
      </div>
      <details className="gg-legend">
        <summary>Wire types</summary>
        <ul>
          {PORT_TYPES.map((t) => (
            <li key={t} title={PORT_TYPE_DOC[t]}>
              <span className="dot" style={{ background: PORT_COLORS[t] }} />
              {t}
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}

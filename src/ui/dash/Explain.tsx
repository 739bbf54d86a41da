import { useMemo, useState } from 'react';
import 'katex/dist/katex.min.css';
import { nodeName } from '../../core/graph/analyze';
import { TERM_ATTRIBUTE, objectiveFor, renderObjective } from '../../core/teaching/objectives';
import { phaseSummaries } from '../../core/teaching/phases';
import type { EditorStore } from '../../state/store';
import { useEditor } from '../../state/store';

/**
 * The objective as an equation; hover a term and the loss node that computes it lights up on the
 * canvas. Then which network each phase trains, in words.
 */
export function Explain({
  store,
  onHighlight,
}: {
  store: EditorStore;
  onHighlight(ids: ReadonlySet<string> | undefined): void;
}) {
  const doc = useEditor(store, (s) => s.doc);
  const objective = useMemo(() => objectiveFor(doc), [doc]);
  const html = useMemo(() => {
    if (!objective) return undefined;
    try {
      return renderObjective(objective);
    } catch (e) {
      return `<p class="gg-banner bad">${(e as Error).message}</p>`;
    }
  }, [objective]);
  const phases = useMemo(() => phaseSummaries(doc), [doc]);
  const [term, setTerm] = useState<string>();
  const light = (id: string | undefined) => {
    setTerm(id);
    const t = objective?.terms.find((x) => x.id === id);
    onHighlight(t ? new Set(t.nodes) : undefined);
  };
  return (
    <div className="gg-explain" data-testid="explain">
      {objective && html ? (
        <>
          <div
            className="gg-equation"
            data-testid="objective"
            // KaTeX output from our own specs (trust limited to \htmlData); no user text reaches it.
            dangerouslySetInnerHTML={{ __html: html }}
            onMouseOver={(e) => {
              const el = (e.target as HTMLElement).closest(`[${TERM_ATTRIBUTE}]`);
              light(el?.getAttribute(TERM_ATTRIBUTE) ?? undefined);
            }}
            onMouseLeave={() => light(undefined)}
          />
          <ul className="gg-terms">
            {objective.terms.map((t) => (
              <li
                key={t.id}
                className={term === t.id ? 'on' : undefined}
                onMouseEnter={() => light(t.id)}
                onMouseLeave={() => light(undefined)}
                data-term-item={t.id}
              >
                <strong>{t.nodes.map((id) => nodeName(doc, id)).join(', ')}</strong>: {t.say}
              </li>
            ))}
          </ul>
          {objective.note && <p className="gg-muted">{objective.note}</p>}
        </>
      ) : (
        <p className="gg-muted">
          The equation view knows the bundled templates (load one from Templates); for this graph, the phases
          below say what is trained on what.
        </p>
      )}
      <h4>How it trains</h4>
      <ol className="gg-phase-says">
        {phases.map((p) => (
          <li key={p.id}>{p.say}</li>
        ))}
      </ol>
    </div>
  );
}

import { useState } from 'react';
import type { EditorStore } from '../../state/store';
import type { Trainer } from '../../state/trainer';
import { LossCharts } from './LossCharts';
import { ModelViews } from './ModelViews';
import { PhaseStrip } from './PhaseStrip';
import type { PhaseView } from './PhaseStrip';
import { Explain } from './Explain';

type Tab = 'losses' | 'views' | 'explain';

/** Under the canvas: the training loop, live losses, the family's views and the explanation. */
export function Dashboard({
  store,
  trainer,
  onHighlight,
}: {
  store: EditorStore;
  trainer: Trainer;
  onHighlight(ids: ReadonlySet<string> | undefined): void;
}) {
  const [tab, setTab] = useState<Tab>('losses');
  const [open, setOpen] = useState(true);
  const [phase, setPhase] = useState<string>();
  const tabs: [Tab, string][] = [
    ['losses', 'Losses'],
    ['views', 'Samples & views'],
    ['explain', 'Explain'],
  ];
  return (
    <section className={`gg-dashboard${open ? '' : ' closed'}`} data-testid="dashboard">
      <header>
        <button type="button" className="gg-dash-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '▾' : '▸'}
        </button>
        <div role="tablist" className="gg-tabs">
          {tabs.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={tab === id ? 'on' : undefined}
              onClick={() => {
                setTab(id);
                setOpen(true);
              }}
            >
              {label}
            </button>
          ))}
        </div>
        <PhaseStrip
          store={store}
          trainer={trainer}
          selected={phase}
          onSelect={(p: PhaseView | undefined) => {
            setPhase(p?.id);
            onHighlight(p ? new Set([...p.trains, ...p.losses]) : undefined);
          }}
        />
      </header>
      {open && (
        <div className="gg-dash-body" role="tabpanel">
          {tab === 'losses' && <LossCharts store={store} trainer={trainer} />}
          {tab === 'views' && <ModelViews store={store} trainer={trainer} />}
          {tab === 'explain' && <Explain store={store} onHighlight={onHighlight} />}
        </div>
      )}
    </section>
  );
}

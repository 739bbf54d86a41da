import { useEffect, useRef } from 'react';
import * as cmd from '../state/commands';
import type { EditorStore } from '../state/store';

/** True while the user types in a field: editor shortcuts leave the keys alone. */
export function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** Copy, cut and paste as JSON through the system clipboard, so they work between tabs. */
export function useClipboard(store: EditorStore, say: (msg: string) => void): void {
  const pasteCount = useRef(0);
  useEffect(() => {
    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      if (isTyping(e.target)) return;
      const ids = store.get().selection.filter((id) => !id.startsWith('group:'));
      if (!ids.length || !e.clipboardData) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', JSON.stringify(cmd.copyFragment(store.get().doc, ids)));
      pasteCount.current = 0;
      if (cut) store.change('cut', (d) => cmd.removeNodes(d, ids));
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    const paste = (e: ClipboardEvent) => {
      if (isTyping(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return say('The clipboard does not hold GenGraph nodes');
      }
      e.preventDefault();
      if (!cmd.isFragment(parsed)) {
        // A whole document pasted in opens like a file.
        if ((parsed as { format?: string })?.format === 'gengraph') store.load(parsed, 'the pasted graph');
        else say('The clipboard does not hold GenGraph nodes');
        return;
      }
      const shift = 40 * ++pasteCount.current;
      const frag = parsed;
      const added = store.change('paste', (d) => cmd.pasteFragment(d, frag, { x: shift, y: shift }));
      store.select(added);
    };
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', paste);
    return () => {
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', paste);
    };
  }, [store, say]);
}

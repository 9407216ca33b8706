/** The `?` sheet: every keyboard shortcut, in a modal dialog (Escape or the button closes it). */
import { useEffect, useRef } from "react";
import { SHORTCUTS } from "./shortcutList";

export function ShortcutsSheet({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="sheet"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-sheet"
      onClose={onClose}
      onCancel={onClose}
    >
      <div className="sheet__head">
        <h2 id="shortcuts-title" className="sheet__title">
          Keyboard shortcuts
        </h2>
        <button type="button" className="banner__close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <dl className="sheet__list">
        {SHORTCUTS.map((s) => (
          <div className="sheet__row" key={s.what}>
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{s.what}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}

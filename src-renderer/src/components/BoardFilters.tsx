/**
 * Above the board: the "Hidden" filter (hidden stories shown, marked, and
 * unhidable from their panel) and the trash (deleted stories, with Restore —
 * a signed change, so the story comes back on every device).
 */
import { useEffect, useState } from "react";
import type { Story } from "../../../src-shared/Story";
import { useBoardStore } from "../stores/useBoardStore";
import { useSessionsStore } from "../stores/useSessionsStore";

export function BoardFilters() {
  const showHidden = useBoardStore((s) => s.showHidden);
  const setShowHidden = useBoardStore((s) => s.setShowHidden);
  const [trashOpen, setTrashOpen] = useState(false);
  return (
    <div className="filters">
      <label className="filters__toggle">
        <input type="checkbox" data-testid="show-hidden" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
        Show hidden
      </label>
      <button type="button" className="button button--small" data-testid="open-trash" aria-expanded={trashOpen} onClick={() => setTrashOpen(!trashOpen)}>
        Trash
      </button>
      {showHidden && <HiddenList />}
      {trashOpen && <Trash />}
    </div>
  );
}

/** Hidden stories are not drawn in the columns (move indices count visible cards); they are listed here, and their panel unhides. */
function HiddenList() {
  const board = useBoardStore((s) => s.board);
  const openStory = useSessionsStore((s) => s.openStory);
  const hidden = (board?.stories ?? []).filter((s) => s.hidden);
  return (
    <section className="trash" data-testid="hidden-list" aria-label="Hidden stories">
      <h2 className="trash__title">Hidden — open one to unhide it</h2>
      {hidden.length === 0 ? (
        <p className="muted">No hidden stories.</p>
      ) : (
        <ul role="list" className="trash__list">
          {hidden.map((s) => (
            <li key={s.id} className="trash__item">
              <button type="button" className="link" onClick={() => void openStory(s.id)}>
                {s.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Trash() {
  const loadTrash = useBoardStore((s) => s.loadTrash);
  const edit = useBoardStore((s) => s.edit);
  const board = useBoardStore((s) => s.board);
  const [stories, setStories] = useState<Story[] | null>(null);
  useEffect(() => {
    let live = true;
    void loadTrash().then((t) => live && setStories(t ?? []));
    return () => {
      live = false;
    };
  }, [loadTrash, board]);
  return (
    <section className="trash" data-testid="trash" aria-label="Deleted stories">
      <h2 className="trash__title">Trash</h2>
      {stories === null ? (
        <p className="muted">Loading…</p>
      ) : stories.length === 0 ? (
        <p className="muted">The trash is empty.</p>
      ) : (
        <ul role="list" className="trash__list">
          {stories.map((s) => (
            <li key={s.id} className="trash__item">
              <span>{s.name}</span>
              <button type="button" className="button button--small" data-testid={`restore-${s.id}`} onClick={() => void edit(`restore '${s.name}'`, "story/restore", { id: s.id })}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

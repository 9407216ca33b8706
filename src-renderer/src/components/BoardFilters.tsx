/**
 * Above the board: the trash (deleted stories, with Restore — a signed
 * change, so the story comes back on every device). Hidden stories are
 * shown in their columns by the filter bar's "Show hidden".
 */
import { useEffect, useState } from "react";
import type { Story } from "../../../src-shared/Story";
import { useBoardStore } from "../stores/useBoardStore";

export function BoardFilters() {
  const [trashOpen, setTrashOpen] = useState(false);
  return (
    <div className="filters">
      <button type="button" className="button button--small" data-testid="open-trash" aria-expanded={trashOpen} onClick={() => setTrashOpen(!trashOpen)}>
        Trash
      </button>
      {trashOpen && <Trash />}
    </div>
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

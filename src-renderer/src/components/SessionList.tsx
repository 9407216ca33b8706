/** The sessions of the current filter, newest first; the selected one is marked. */
import type { Story } from "../../../src-shared/Story";
import { formatInstant } from "../lib/formatSpan";
import { useBoardStore } from "../stores/useBoardStore";
import { useSessionsStore } from "../stores/useSessionsStore";

const EMPTY: Story[] = [];

export function SessionList() {
  const sessions = useSessionsStore((s) => s.sessions);
  const selectedId = useSessionsStore((s) => s.selectedId);
  const selectSession = useSessionsStore((s) => s.selectSession);
  const stories = useBoardStore((s) => s.board?.stories ?? EMPTY);
  const nameOf = (id: string) => stories.find((s) => s.id === id)?.name ?? id;

  if (sessions === null) return <p className="muted">Loading sessions…</p>;
  if (sessions.length === 0) return <p className="empty">No sessions yet</p>;
  return (
    <ul className="session-list" role="list" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session) => (
        <li key={session.id}>
          <button
            type="button"
            className={`session-item${session.id === selectedId ? " session-item--selected" : ""}`}
            data-testid={`session-${session.id}`}
            aria-current={session.id === selectedId ? "true" : undefined}
            onClick={() => void selectSession(session.id)}
          >
            <span className="session-item__title">{session.title}</span>
            <span className="session-item__meta">
              {session.storyId !== undefined && <span className="chip chip--story">{nameOf(session.storyId)}</span>}
              <span className="session-item__time">{formatInstant(session.createdAt)}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

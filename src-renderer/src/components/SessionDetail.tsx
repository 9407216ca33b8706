/**
 * The selected session: its pending buffer ("Not yet memorized (N)" with
 * Flush) and its memcells as a timeline, oldest first. Hidden memcells stay
 * on the timeline, greyed, so they can be unhidden. An opened search hit's
 * memcell or message is scrolled to and highlighted (`focus`).
 */
import { useSessionsStore } from "../stores/useSessionsStore";
import { BufferMessage } from "./BufferMessage";
import { MemCellItem } from "./MemCellItem";

export function SessionDetail() {
  const session = useSessionsStore((s) => s.sessions?.find((x) => x.id === s.selectedId) ?? null);
  const selectedId = useSessionsStore((s) => s.selectedId);
  const memcells = useSessionsStore((s) => s.memcells);
  const buffer = useSessionsStore((s) => s.buffer);
  const flush = useSessionsStore((s) => s.flush);

  if (selectedId === null) return <p className="empty empty--large">Select a session, or create one.</p>;
  if (memcells === null || buffer === null) return <p className="muted">Loading session…</p>;
  return (
    <section className="session-detail" data-testid="session-detail" data-session-id={selectedId} aria-label="Session">
      <header className="session-detail__header">
        <h2 className="session-detail__title">{session?.title ?? selectedId}</h2>
        <span className="session-detail__id">{selectedId}</span>
      </header>
      <div className="buffer" data-testid="buffer">
        <div className="buffer__head">
          <span className="buffer__label">
            Not yet memorized (<span data-testid="buffer-count">{buffer.length}</span>)
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="flush-button"
            disabled={buffer.length === 0}
            onClick={() => void flush()}
          >
            Flush
          </button>
        </div>
        {buffer.length > 0 && (
          <ul className="buffer__list" role="list">
            {buffer.map((m) => (
              <BufferMessage key={m.id} message={m} />
            ))}
          </ul>
        )}
      </div>
      {memcells.length === 0 ? (
        <p className="empty">No memcells yet: messages are memorized when an episode ends, or on Flush.</p>
      ) : (
        <ol className="timeline" aria-label="Memcells" data-testid="timeline">
          {memcells.map((cell) => (
            <MemCellItem key={cell.id} cell={cell} />
          ))}
        </ol>
      )}
    </section>
  );
}

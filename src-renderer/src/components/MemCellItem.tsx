/** One memcell on a session's timeline: title, time span, senders, content; Hide or Unhide. */
import type { MemCell } from "../../../src-shared/MemCell";
import { formatSpan } from "../lib/formatSpan";
import { useSessionsStore } from "../stores/useSessionsStore";

export function MemCellItem({ cell }: { cell: MemCell }) {
  const setHidden = useSessionsStore((s) => s.setHidden);
  return (
    <li
      className={`memcell${cell.hidden ? " memcell--hidden" : ""}`}
      data-testid={`memcell-${cell.id}`}
      data-hidden={cell.hidden ? "true" : "false"}
    >
      <span className="memcell__dot" aria-hidden="true" />
      <div className="memcell__body">
        <div className="memcell__head">
          <h3 className="memcell__title">{cell.title}</h3>
          {cell.hidden && <span className="chip chip--hidden">hidden</span>}
          <button
            type="button"
            className="button button--small"
            data-testid={`${cell.hidden ? "unhide" : "hide"}-${cell.id}`}
            onClick={() => void setHidden(cell.id, !cell.hidden)}
          >
            {cell.hidden ? "Unhide" : "Hide"}
          </button>
        </div>
        <div className="memcell__meta">
          <time dateTime={new Date(cell.startedAt).toISOString()}>{formatSpan(cell.startedAt, cell.endedAt)}</time>
          <span aria-label="Senders">{cell.senderIds.join(", ")}</span>
          <span>
            {cell.messageIds.length} {cell.messageIds.length === 1 ? "message" : "messages"}
          </span>
        </div>
        {cell.summary !== undefined && <p className="memcell__summary">{cell.summary}</p>}
        <pre className="memcell__content">{cell.content}</pre>
      </div>
    </li>
  );
}

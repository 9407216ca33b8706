/**
 * One memcell on a session's timeline: title, time span, senders, content;
 * Hide or Unhide. When a search hit was opened on it: scrolled into view,
 * highlighted, with the match's excerpt (which may come from one of its
 * messages, beyond what the content shows).
 */
import type { MemCell } from "../../../src-shared/MemCell";
import { formatSpan } from "../lib/formatSpan";
import { useScrollIntoView } from "../lib/useScrollIntoView";
import { useSessionsStore } from "../stores/useSessionsStore";
import { FocusedMatch } from "./FocusedMatch";

export function MemCellItem({ cell }: { cell: MemCell }) {
  const setHidden = useSessionsStore((s) => s.setHidden);
  const focus = useSessionsStore((s) => (s.focus?.kind === "memcell" && s.focus.id === cell.id ? s.focus : null));
  const ref = useScrollIntoView<HTMLLIElement>(focus?.seq ?? null);
  return (
    <li
      ref={ref}
      className={`memcell${cell.hidden ? " memcell--hidden" : ""}${focus ? " memcell--focused" : ""}`}
      data-testid={`memcell-${cell.id}`}
      data-hidden={cell.hidden ? "true" : "false"}
      data-focused={focus ? "true" : "false"}
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
        {focus && <FocusedMatch focus={focus} />}
        {cell.summary !== undefined && <p className="memcell__summary">{cell.summary}</p>}
        <pre className="memcell__content">{cell.content}</pre>
      </div>
    </li>
  );
}

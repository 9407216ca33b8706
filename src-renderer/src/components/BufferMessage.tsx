/** One not-yet-memorized message; scrolled to and highlighted when a search hit was opened on it. */
import type { Message } from "../../../src-shared/Message";
import { formatInstant } from "../lib/formatSpan";
import { useScrollIntoView } from "../lib/useScrollIntoView";
import { useSessionsStore } from "../stores/useSessionsStore";
import { FocusedMatch } from "./FocusedMatch";

export function BufferMessage({ message }: { message: Message }) {
  const focus = useSessionsStore((s) => (s.focus?.kind === "message" && s.focus.id === message.id ? s.focus : null));
  const ref = useScrollIntoView<HTMLLIElement>(focus?.seq ?? null);
  return (
    <li
      ref={ref}
      className={`buffer__message${focus ? " buffer__message--focused" : ""}`}
      data-testid={`message-${message.id}`}
      data-focused={focus ? "true" : "false"}
    >
      <span className="buffer__sender">{message.senderId}</span>
      <span className="buffer__time">{formatInstant(message.timestamp)}</span>
      <span className="buffer__text">{message.content}</span>
      {focus && <FocusedMatch focus={focus} />}
    </li>
  );
}

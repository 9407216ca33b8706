/** The header's connection pill: whether push events are flowing. */
import { useBoardStore } from "../stores/useBoardStore";

const LABELS = { connecting: "Connecting…", online: "Live", offline: "Offline — reconnecting" } as const;
const TITLES = {
  connecting: "Connecting to the Musher node",
  online: "Connected: changes appear as they happen",
  offline: "Disconnected: retrying with backoff; the board refreshes when the connection is back",
} as const;

export function ConnectionStatus() {
  const connection = useBoardStore((s) => s.connection);
  return (
    <span
      className={`connection connection--${connection}`}
      data-testid="connection-status"
      data-state={connection}
      role="status"
      title={TITLES[connection]}
    >
      <span className="connection__dot" aria-hidden="true" />
      {LABELS[connection]}
    </span>
  );
}

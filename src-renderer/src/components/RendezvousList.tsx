/**
 * The rendezvous peers this node dials, each with its link state and, after
 * failures, how many and when the next attempt is due (backoff 1 s → 30 s).
 * Addresses given on the command line (source "flag") are marked as such:
 * they are not part of the setting the form below edits, and cannot be
 * changed from here.
 */
import type { RendezvousStatus } from "../../../src-shared/syncMethods";
import { formatRelative } from "../lib/formatRelative";
import { useSyncStore } from "../stores/useSyncStore";

const STATES: Readonly<Record<RendezvousStatus["state"], string>> = {
  connecting: "Connecting…",
  connected: "Connected",
  waiting: "Waiting to retry",
};

interface Props {
  entries: RendezvousStatus[];
  now: number;
}

export function RendezvousList({ entries, now }: Props) {
  const retryNow = useSyncStore((s) => s.retryNow);
  if (entries.length === 0) {
    return <p className="empty">No rendezvous: this device syncs only with peers that connect to it.</p>;
  }
  return (
    <ul className="rendezvous" data-testid="rendezvous-list">
      {entries.map((entry) => (
        <li
          key={entry.url}
          className="rendezvous__entry"
          data-testid="rendezvous-entry"
          data-url={entry.url}
          data-state={entry.state}
          data-source={entry.source}
        >
          <span className="rendezvous__url" title={entry.url}>
            {entry.url}
          </span>
          {entry.source === "flag" && (
            <span className="rendezvous__source" data-testid="rendezvous-flag-note">
              from the command line (<code>musher serve --rendezvous</code>)
            </span>
          )}
          <span className={`chip chip--rendezvous-${entry.state}`}>{STATES[entry.state]}</span>
          {(entry.failures > 0 || entry.nextAttemptAt !== null) && (
            <span className="rendezvous__retry">
              {entry.failures > 0 && `${entry.failures} failed ${entry.failures === 1 ? "attempt" : "attempts"}`}
              {entry.failures > 0 && entry.nextAttemptAt !== null && " · "}
              {entry.nextAttemptAt !== null && `next ${formatRelative(entry.nextAttemptAt, now)}`}
            </span>
          )}
          {entry.state === "waiting" && (
            <button type="button" className="button button--small" data-testid="rendezvous-retry-now" onClick={() => void retryNow(entry.url)}>
              Retry now
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

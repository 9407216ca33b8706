/**
 * The header's ONE status control: Online / Offline / Local only, the peer
 * count, unsent changes and, during a catch-up, its progress — or, when this
 * window cannot reach its node, "Node unreachable" (and nothing about peers:
 * that would be stale). "Unsent" shows only when peers are configured: on a
 * device working alone it means nothing. It is a button that opens the sync
 * panel; closing the panel returns focus here.
 */
import { useCallback, useRef, useState } from "react";
import { useSyncStore } from "../stores/useSyncStore";
import { SYNC_STATE_LABELS, syncSummary, type SyncState, type SyncSummary } from "../sync/syncSummary";
import { CatchUpBar } from "./CatchUpBar";
import { SyncPanel } from "./SyncPanel";

const TITLES: Readonly<Record<SyncState, string>> = {
  online: "In touch with the team: changes sync as they happen",
  offline: "No peer reachable: edits are kept on this device and sync when a peer is back",
  local: "No rendezvous configured: this device works on its own. Open to add one",
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function SyncIndicator() {
  const status = useSyncStore((s) => s.status);
  const loadError = useSyncStore((s) => s.loadError);
  const stale = useSyncStore((s) => s.stale);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);

  const summary: SyncSummary | null = status && !stale ? syncSummary(status) : null;
  const state = stale ? "unreachable" : (summary?.state ?? (loadError ? "unavailable" : "loading"));
  const label = stale ? "Node unreachable" : summary ? SYNC_STATE_LABELS[summary.state] : loadError ? "Sync unavailable" : "Sync…";
  const showPeers = summary !== null && summary.state !== "local";
  const unsent = showPeers ? summary.unsent : 0;
  const parts = [
    label,
    showPeers ? plural(summary.peerCount, "peer", "peers") : null,
    unsent > 0 ? `${unsent.toLocaleString()} unsent` : null,
    summary?.catchUp ? "catching up" : null,
  ].filter((p): p is string => p !== null);
  const title = stale
    ? "This window lost its connection to the Musher node; retrying. Edits made now fail and are rolled back"
    : summary
      ? TITLES[summary.state]
      : (loadError ?? "Loading the sync status");

  return (
    <>
      <button
        ref={button}
        type="button"
        className={`sync sync--${state}`}
        data-testid="sync-indicator"
        data-state={state}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={`Sync: ${parts.join(", ")}. Open the sync panel`}
        title={title}
        onClick={() => setOpen(true)}
      >
        <span className="sync__dot" aria-hidden="true" />
        <span className="sync__state" data-testid="sync-state">
          {label}
        </span>
        {showPeers && (
          <span className="sync__peers" data-testid="sync-peer-count" data-count={summary.peerCount}>
            {plural(summary.peerCount, "peer", "peers")}
          </span>
        )}
        {unsent > 0 && (
          <span className="sync__unsent" data-testid="sync-unsent" data-count={unsent}>
            {unsent.toLocaleString()} unsent
          </span>
        )}
        {summary?.catchUp && <CatchUpBar progress={summary.catchUp} testId="sync-progress" />}
      </button>
      {/* Announces only transitions (Online ↔ Offline), not every counter change. */}
      <span className="visually-hidden" role="status">{`Sync ${label}`}</span>
      {open && <SyncPanel onClose={close} />}
    </>
  );
}

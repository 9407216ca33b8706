/**
 * The sync panel: this device's identity, its peers, its rendezvous links
 * and the rendezvous setting (the desktop app's "where is my team" setting).
 * The form edits only the stored setting (source "setting"); addresses from
 * `musher serve --rendezvous` (source "flag") are listed, read-only, and
 * never sent back, so saving cannot copy them into the setting.
 *
 * A native modal <dialog>: the page behind is inert and focus stays inside
 * while it is open. On open the first field (the rendezvous addresses) gets
 * focus; Escape, the close button or a click on the backdrop close it, and
 * the opener (`onClose`) puts focus back on the indicator.
 */
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from "react";
import { useNow } from "../lib/useNow";
import { useSyncStore } from "../stores/useSyncStore";
import { shortNodeId } from "../sync/shortNodeId";
import { splitRendezvous } from "../sync/splitRendezvous";
import { SYNC_STATE_LABELS, syncSummary } from "../sync/syncSummary";
import { CatchUpBar } from "./CatchUpBar";
import { RendezvousForm } from "./RendezvousForm";
import { RendezvousList } from "./RendezvousList";
import { SyncPeerTable } from "./SyncPeerTable";

interface Props {
  onClose(): void;
}

export function SyncPanel({ onClose }: Props) {
  const status = useSyncStore((s) => s.status);
  const loadError = useSyncStore((s) => s.loadError);
  const stale = useSyncStore((s) => s.stale);
  const refresh = useSyncStore((s) => s.refresh);
  const now = useNow();
  const dialog = useRef<HTMLDialogElement>(null);
  const firstField = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    // Escape closes the dialog natively (a "close watcher"); following its
    // `close` event rather than cancelling it keeps one path for every way out.
    el.addEventListener("close", onClose);
    if (!el.open) el.showModal();
    firstField.current?.focus();
    return () => {
      el.removeEventListener("close", onClose);
      if (el.open) el.close();
    };
  }, [onClose]);

  // Clicks on the content land on its inner wrapper; only the backdrop hits the dialog itself.
  // The press must start there too: a text selection dragged out of the field
  // onto the backdrop also ends in a click on the dialog, and must not close it.
  const pressedOnBackdrop = useRef(false);
  const onMouseDown = (e: MouseEvent<HTMLDialogElement>) => {
    pressedOnBackdrop.current = e.target === e.currentTarget;
  };
  const onClick = (e: MouseEvent<HTMLDialogElement>) => {
    if (pressedOnBackdrop.current && e.target === e.currentTarget) dialog.current?.close();
  };
  // Other Escape listeners (the story drawer's) must not also fire while this is on top.
  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === "Escape") e.stopPropagation();
  };

  const summary = status ? syncSummary(status) : null;
  const sources = status ? splitRendezvous(status.rendezvous) : null;
  return (
    <dialog
      ref={dialog}
      className="modal sync-panel"
      data-testid="sync-panel"
      aria-labelledby="sync-panel-title"
      onMouseDown={onMouseDown}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <div className="modal__content">
        <header className="modal__header">
          <h2 className="modal__title" id="sync-panel-title">
            Sync
          </h2>
          {summary && (
            <span className={`sync-panel__state sync-panel__state--${summary.state}`} data-testid="sync-panel-state">
              {SYNC_STATE_LABELS[summary.state]}
            </span>
          )}
          <button type="button" className="banner__close modal__close sync-panel__close" data-testid="sync-panel-close" aria-label="Close" onClick={() => dialog.current?.close()}>
            ×
          </button>
        </header>

        {status ? (
          <p className="modal__identity">
            This device <code title={status.nodeId}>{shortNodeId(status.nodeId)}</code> · workspace{" "}
            <code title={status.workspaceId}>{shortNodeId(status.workspaceId)}</code>
          </p>
        ) : (
          <div className="modal__note" role="status">
            {loadError ? `Could not load the sync status: ${loadError}` : "Loading the sync status…"}
            {loadError && (
              <button type="button" className="button button--small" onClick={() => void refresh()}>
                Retry
              </button>
            )}
          </div>
        )}
        {stale && <p className="modal__note">Showing the last known status: the connection to the node is down.</p>}
        {summary?.catchUp && (
          <div className="sync-panel__catch-up">
            <span>Catching up</span>
            <CatchUpBar progress={summary.catchUp} />
          </div>
        )}
        {summary && summary.unsent > 0 && (
          <p className="sync-panel__unsent">
            {summary.unsent === 1 ? "1 change made here has" : `${summary.unsent.toLocaleString()} changes made here have`} not reached a
            peer yet.
          </p>
        )}

        <section className="modal__section" aria-labelledby="sync-peers-title">
          <h3 className="sync-panel__section-title" id="sync-peers-title">
            Peers
          </h3>
          <SyncPeerTable peers={status?.peers ?? []} now={now} />
        </section>

        <section className="modal__section" aria-labelledby="sync-rendezvous-title">
          <h3 className="sync-panel__section-title" id="sync-rendezvous-title">
            Rendezvous
          </h3>
          <p className="modal__help">
            This device dials each address below and reconnects whenever the link drops.
          </p>
          <RendezvousList entries={status?.rendezvous ?? []} now={now} />
          <RendezvousForm urls={sources?.setting ?? null} flagUrls={sources?.flags ?? []} inputRef={firstField} />
        </section>
      </div>
    </dialog>
  );
}

/**
 * The sync half of the contract (`src-shared/syncMethods.ts`). The node's
 * sync control owns the policy (which peers to dial, persisting the
 * setting); these handlers only forward validated inputs to it.
 */
import type { SyncStatus, syncMethods } from "../../src-shared/syncMethods";
import type { Handlers } from "./dispatch";

export type SyncHandlers = Pick<Handlers, keyof typeof syncMethods>;

/** What the API needs from the node's sync layer. */
export interface SyncControl {
  status(): SyncStatus;
  /** Replaces the persisted rendezvous list and redials; returns the status after. */
  setRendezvous(urls: readonly string[]): SyncStatus;
  /** Dials a backing-off rendezvous now; returns the status after. */
  retryNow(url: string): SyncStatus;
}

export function createSyncApi(sync: SyncControl): SyncHandlers {
  return {
    "sync/status": () => sync.status(),
    "sync/setRendezvous": (input) => sync.setRendezvous(input.urls),
    "sync/retryNow": (input) => sync.retryNow(input.url),
  };
}

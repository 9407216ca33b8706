/**
 * The node's sync status (peers, rendezvous, unsent changes, catch-up) and
 * the one sync setting, the rendezvous list, over any `RendererClient`.
 *
 * Invariants:
 * - The node is the truth. `sync/changed` carries the whole status, so an
 *   event replaces the status outright; `sync/status` is fetched at start
 *   and on every transition of the push channel to "online" (events may
 *   have been missed while it was down).
 * - A fetched (or `sync/setRendezvous`) result is dropped if an event
 *   arrived while the call was in flight: the event is at least as new.
 * - While the push channel is down ("offline") the last status is kept but
 *   marked `stale` (it may be out of date; the UI says so instead of going
 *   blank). "connecting" at start is not stale: nothing was missed yet.
 * - Actions never throw: a failed fetch lands in `loadError`, a refused
 *   `setRendezvous` is returned to the form that made it.
 *
 * `createSyncStore` is called once per client by the app root; nothing here
 * is module-level, so tests can build as many stores as they like.
 */
import { createContext, useContext } from "react";
import { useStore, type StateCreator } from "zustand";
import type { SyncStatus } from "../../../src-shared/syncMethods";
import type { RendererClient } from "../client/ConnectionSource";
import { coalesce } from "../lib/coalesce";
import { describeError } from "../lib/describeError";
import { createLiveStore, type LiveStore } from "./createLiveStore";

export interface SyncStoreState {
  status: SyncStatus | null;
  /** Why the last `sync/status` failed; null once a status arrives. */
  loadError: string | null;
  /** The push channel dropped since `status` was received. */
  stale: boolean;
  /** Refetches the status (coalesced). */
  refresh(): Promise<void>;
  /** Replaces the rendezvous list; resolves null on success, else why the node refused. */
  setRendezvous(urls: string[]): Promise<string | null>;
  /** Dials a backing-off rendezvous now; resolves an error message or null. */
  retryNow(url: string): Promise<string | null>;
}

export type SyncStore = LiveStore<SyncStoreState>;

/** Carries the app's one sync store (made by `createSyncStore`) down the tree; `main.tsx` provides it. */
export const SyncStoreContext = createContext<SyncStore | null>(null);

export function createSyncStore(client: RendererClient): SyncStore {
  // Bumped by every event; see the "event is at least as new" invariant.
  let eventEpoch = 0;

  const init: StateCreator<SyncStoreState> = (set) => {
    const apply = (status: SyncStatus) => set({ status, loadError: null, stale: client.connection.get() === "offline" });

    const fetchStatus = async (): Promise<void> => {
      const epoch = eventEpoch;
      try {
        const status = await client.call("sync/status", {});
        if (epoch === eventEpoch) apply(status);
      } catch (err) {
        set({ loadError: describeError(err) });
      }
    };

    return {
      status: null,
      loadError: null,
      stale: false,
      refresh: coalesce(fetchStatus),
      retryNow: async (url) => {
        const epoch = eventEpoch;
        try {
          const status = await client.call("sync/retryNow", { url });
          if (epoch === eventEpoch) apply(status);
          return null;
        } catch (err) {
          return describeError(err);
        }
      },
      setRendezvous: async (urls) => {
        const epoch = eventEpoch;
        try {
          const status = await client.call("sync/setRendezvous", { urls });
          if (epoch === eventEpoch) apply(status);
          return null;
        } catch (err) {
          return describeError(err);
        }
      },
    };
  };

  return createLiveStore(client, {
    init,
    refetch: (store) => store.getState().refresh(),
    events: {
      "sync/changed": (status, store) => {
        eventEpoch += 1;
        store.setState({ status, loadError: null, stale: false });
      },
    },
    onConnection: (next, _was, store) => {
      if (next === "offline" && store.getState().status !== null) store.setState({ stale: true });
    },
  });
}

/** Reads a slice of the sync store provided by `SyncStoreContext`. */
export function useSyncStore<T>(selector: (state: SyncStoreState) => T): T {
  const store = useContext(SyncStoreContext);
  if (!store) throw new Error("useSyncStore needs a SyncStoreContext provider");
  return useStore(store, selector);
}

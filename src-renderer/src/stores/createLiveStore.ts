/**
 * The lifecycle every renderer store over the node shares: build the state,
 * fetch at start, refetch (coalesced) when the node says its data changed,
 * refetch on every transition of the push channel to "online", dispose.
 * A store supplies its state and actions plus the few hooks below; this
 * module owns the subscriptions, so no store repeats them.
 *
 * Invariants:
 * - `refetch` runs at start (unless `lazy`) and on every transition of the
 *   connection to "online" from another state: events may have been missed
 *   while the push channel was down. It must be coalesced (`lib/coalesce`),
 *   so a burst of triggers costs at most one fetch in flight plus one queued.
 * - `onConnection` sees every change, with the state before it, before the
 *   reconnect refetch starts (so a store can mark itself stale or clear a
 *   banner first).
 * - Every event handler, the connection listener and what `follow`
 *   subscribed are unsubscribed by `dispose`; nothing here is module-level, so tests build as many stores
 *   as they like over one client.
 */
import { createStore, type StateCreator, type StoreApi } from "zustand/vanilla";
import type { EventName, EventPayload } from "../../../src-shared/contract";
import type { Unsubscribe } from "../../../src-shared/MusherClient";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";

/** What to do when the node pushes an event, per event name. */
export type EventHandlers<S> = { [E in EventName]?: (payload: EventPayload<E>, store: StoreApi<S>) => void };

export interface LiveStoreSpec<S> {
  /** The state and its actions (zustand's initializer). */
  init: StateCreator<S>;
  /** Refetches what the store shows; coalesced, never throws (failures land in the state). */
  refetch(store: StoreApi<S>): Promise<void>;
  events: EventHandlers<S>;
  /** Called on every change of the connection, with the state before it. */
  onConnection?(next: ConnectionState, was: ConnectionState, store: StoreApi<S>): void;
  /** True: no fetch at start (the store loads when a view first asks). */
  lazy?: boolean;
  /** Another source the store follows (the navigation store); its unsubscribe runs on dispose. */
  follow?(store: StoreApi<S>): Unsubscribe;
}

/** A store with its subscriptions; `dispose` ends them (the page's `pagehide`, tests). */
export type LiveStore<S> = StoreApi<S> & { dispose(): void };

export function createLiveStore<S>(client: RendererClient, spec: LiveStoreSpec<S>): LiveStore<S> {
  const store = createStore<S>()(spec.init);
  const offs: Unsubscribe[] = [];
  for (const event of Object.keys(spec.events) as EventName[]) offs.push(subscribe(client, store, event, spec.events));

  let connection = client.connection.get();
  offs.push(
    client.connection.subscribe((next) => {
      const was = connection;
      connection = next;
      spec.onConnection?.(next, was, store);
      if (next === "online" && was !== "online") void spec.refetch(store);
    }),
  );
  if (spec.follow) offs.push(spec.follow(store));
  if (!spec.lazy) void spec.refetch(store);

  return {
    ...store,
    dispose: () => {
      for (const off of offs.splice(0)) off();
    },
  };
}

/** One event's subscription; generic in `E` so the handler and the payload agree. */
function subscribe<S, E extends EventName>(client: RendererClient, store: StoreApi<S>, event: E, handlers: EventHandlers<S>): Unsubscribe {
  const handler = handlers[event];
  if (!handler) return () => {};
  return client.on(event, (payload) => handler(payload, store));
}

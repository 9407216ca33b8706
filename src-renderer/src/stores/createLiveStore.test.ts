import { describe, expect, it } from "vitest";
import { createStore } from "zustand/vanilla";
import type { EventName, EventPayload } from "../../../src-shared/contract";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { createLiveStore, type LiveStoreSpec } from "./createLiveStore";

/** A client with no calls: the test pushes events and connection changes and counts listeners. */
function pushClient(start: ConnectionState = "connecting") {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let state = start;
  const client: RendererClient = {
    call: (async (method: string) => {
      throw new Error(`unexpected call ${method}`);
    }) as RendererClient["call"],
    on: ((event: string, cb: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => set.delete(cb);
    }) as RendererClient["on"],
    connection: {
      get: () => state,
      subscribe: (cb) => {
        connectionListeners.add(cb);
        return () => connectionListeners.delete(cb);
      },
    },
    close: () => {},
  };
  return {
    client,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
    setConnection: (s: ConnectionState) => {
      state = s;
      for (const cb of connectionListeners) cb(s);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) + connectionListeners.size,
  };
}

interface Counts {
  refetches: number;
  seen: string[];
}

function spec(over: Partial<LiveStoreSpec<Counts>> = {}): LiveStoreSpec<Counts> {
  return {
    init: () => ({ refetches: 0, seen: [] }),
    refetch: async (store) => {
      store.setState((s) => ({ refetches: s.refetches + 1, seen: [...s.seen, "refetch"] }));
    },
    events: {
      "board/changed": ({ storyIds }, store) => store.setState((s) => ({ seen: [...s.seen, `board/changed ${storyIds.join(",")}`] })),
    },
    onConnection: (next, was, store) => store.setState((s) => ({ seen: [...s.seen, `${was}->${next}`] })),
    ...over,
  };
}

describe("createLiveStore", () => {
  it("refetches at start, unless lazy", () => {
    expect(createLiveStore(pushClient().client, spec()).getState().refetches).toBe(1);
    expect(createLiveStore(pushClient().client, spec({ lazy: true })).getState().refetches).toBe(0);
  });

  it("hands each pushed event to its handler with the store", () => {
    const f = pushClient();
    const store = createLiveStore(f.client, spec({ lazy: true }));
    f.emit("board/changed", { storyIds: ["a", "b"] });
    f.emit("session/changed", { sessionId: "s" });
    expect(store.getState().seen).toEqual(["board/changed a,b"]);
  });

  it("refetches on every transition to online, after onConnection saw the change", () => {
    const f = pushClient();
    const store = createLiveStore(f.client, spec({ lazy: true }));
    f.setConnection("online");
    f.setConnection("offline");
    f.setConnection("connecting");
    f.setConnection("online");
    expect(store.getState().seen).toEqual(["connecting->online", "refetch", "online->offline", "offline->connecting", "connecting->online", "refetch"]);
  });

  it("does not refetch when the client starts online and stays so", () => {
    const f = pushClient("online");
    const store = createLiveStore(f.client, spec({ lazy: true }));
    f.setConnection("offline");
    expect(store.getState().refetches).toBe(0);
    f.setConnection("online");
    expect(store.getState().refetches).toBe(1);
  });

  it("dispose ends every subscription: events, connection and what it follows", () => {
    const f = pushClient();
    const other = createStore<{ n: number }>()(() => ({ n: 0 }));
    const store = createLiveStore(
      f.client,
      spec({ lazy: true, follow: (s) => other.subscribe(({ n }) => s.setState((x) => ({ seen: [...x.seen, `n=${n}`] }))) }),
    );
    other.setState({ n: 1 });
    expect(store.getState().seen).toEqual(["n=1"]);
    expect(f.listenerCount()).toBe(2);
    store.dispose();
    expect(f.listenerCount()).toBe(0);
    other.setState({ n: 2 });
    f.emit("board/changed", { storyIds: [] });
    f.setConnection("online");
    expect(store.getState().seen).toEqual(["n=1"]);
  });
});

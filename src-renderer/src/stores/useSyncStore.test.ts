import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import type { EventPayload } from "../../../src-shared/contract";
import type { SyncStatus } from "../../../src-shared/syncMethods";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { testPeer, testRendezvous, testSyncStatus } from "../testing/testSyncStatus";
import { createSyncStore } from "./useSyncStore";

/** A client whose server status the test edits; `hold` keeps `sync/status` pending until released. */
function fakeClient(initial: SyncStatus) {
  const server = { status: initial, gets: 0, saved: [] as string[][], refuse: null as string | null };
  let hold: Promise<void> | null = null;
  let release = () => {};
  let changed: ((p: EventPayload<"sync/changed">) => void) | null = null;
  let connectionListener: ((s: ConnectionState) => void) | null = null;
  let state: ConnectionState = "connecting";
  const client: RendererClient = {
    call: (async (method: string, input: { urls?: string[] }) => {
      await Promise.resolve();
      if (method === "sync/status") {
        server.gets += 1;
        const answer = server.status;
        if (hold) await hold;
        return answer;
      }
      if (method === "sync/setRendezvous") {
        if (server.refuse) throw new ApiFailure("invalid_input", server.refuse);
        server.saved.push(input.urls ?? []);
        // Like the node: the setting is replaced, command-line (flag) addresses stay.
        const flags = server.status.rendezvous.filter((r) => r.source === "flag");
        server.status = { ...server.status, rendezvous: [...flags, ...(input.urls ?? []).map((url) => testRendezvous({ url }))] };
        return server.status;
      }
      throw new ApiFailure("unknown_method", method);
    }) as RendererClient["call"],
    on: ((_event: string, cb: (p: EventPayload<"sync/changed">) => void) => {
      changed = cb;
      return () => {};
    }) as RendererClient["on"],
    connection: {
      get: () => state,
      subscribe: (cb) => {
        connectionListener = cb;
        return () => {};
      },
    },
    close: () => {},
  };
  return {
    client,
    server,
    holdStatus: () => {
      hold = new Promise((r) => (release = r));
    },
    release: () => {
      hold = null;
      release();
    },
    emit: (status: SyncStatus) => changed?.(status),
    setConnection: (s: ConnectionState) => {
      state = s;
      connectionListener?.(s);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("createSyncStore", () => {
  it("loads the status at start and replaces it with each sync/changed payload", async () => {
    const f = fakeClient(testSyncStatus());
    const store = createSyncStore(f.client);
    await settle();
    expect(store.getState().status?.online).toBe(false);
    const online = testSyncStatus({ online: true, peers: [testPeer()] });
    f.emit(online);
    expect(store.getState().status).toEqual(online);
    expect(f.server.gets).toBe(1);
  });

  it("drops a fetched status when an event arrived while it was in flight", async () => {
    const f = fakeClient(testSyncStatus({ unsent: 1 }));
    const store = createSyncStore(f.client);
    f.holdStatus();
    await settle();
    f.emit(testSyncStatus({ unsent: 7 }));
    f.release();
    await settle();
    expect(store.getState().status?.unsent).toBe(7);
  });

  it("marks the status stale while the push channel is down, and refetches when it is back", async () => {
    const f = fakeClient(testSyncStatus());
    const store = createSyncStore(f.client);
    f.setConnection("online");
    await settle();
    expect(store.getState().stale).toBe(false);
    f.setConnection("offline");
    expect(store.getState().stale).toBe(true);
    f.server.status = testSyncStatus({ unsent: 4 });
    f.setConnection("online");
    await settle();
    expect(store.getState()).toMatchObject({ stale: false, status: { unsent: 4 } });
  });

  it("keeps a failed load as loadError instead of throwing", async () => {
    const f = fakeClient(testSyncStatus());
    f.client.call = (async () => {
      throw new ApiFailure("unknown_method", "no such method: sync/status");
    }) as RendererClient["call"];
    const store = createSyncStore(f.client);
    await settle();
    expect(store.getState()).toMatchObject({ status: null, loadError: "no such method: sync/status" });
  });

  it("saves the rendezvous list and applies the returned status; a refusal is returned, not thrown", async () => {
    const f = fakeClient(testSyncStatus());
    const store = createSyncStore(f.client);
    await settle();
    expect(await store.getState().setRendezvous(["ws://a:1/sync"])).toBeNull();
    expect(f.server.saved).toEqual([["ws://a:1/sync"]]);
    expect(store.getState().status?.rendezvous.map((r) => r.url)).toEqual(["ws://a:1/sync"]);
    f.server.refuse = "invalid input";
    expect(await store.getState().setRendezvous(["ws://b/sync"])).toBe("invalid input");
    expect(store.getState().status?.rendezvous.map((r) => r.url)).toEqual(["ws://a:1/sync"]);
  });

  it("saving the setting keeps a command-line address in the status, reported as flag", async () => {
    const f = fakeClient(testSyncStatus({ rendezvous: [testRendezvous({ url: "ws://flag/sync", source: "flag" })] }));
    const store = createSyncStore(f.client);
    await settle();
    expect(await store.getState().setRendezvous(["ws://a:1/sync"])).toBeNull();
    expect(f.server.saved).toEqual([["ws://a:1/sync"]]);
    expect(store.getState().status?.rendezvous.map((r) => [r.url, r.source])).toEqual([
      ["ws://flag/sync", "flag"],
      ["ws://a:1/sync", "setting"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import type { EventPayload } from "../../../src-shared/contract";
import type { Member } from "../../../src-shared/memberMethods";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { adminIn, createMembersStore, isFresh } from "./useMembersStore";

const SELF = "a".repeat(64);
const OTHER = "b".repeat(64);

const member = (over: Partial<Member> = {}): Member => ({
  nodeId: SELF,
  name: "Ada",
  role: "admin",
  addedBy: null,
  addedAt: 1_700_000_000_000,
  removed: false,
  ...over,
});

/** A client whose node the test edits; `hold` keeps `member/list` pending until released. */
function fakeClient(initial: Member[]) {
  const server = {
    members: initial,
    lists: 0,
    infos: 0,
    refuse: null as ApiFailure | null,
    calls: [] as { method: string; input: unknown }[],
  };
  let hold: Promise<void> | null = null;
  let release = () => {};
  let changed: ((p: EventPayload<"member/changed">) => void) | null = null;
  let connectionListener: ((s: ConnectionState) => void) | null = null;
  let state: ConnectionState = "connecting";
  const client: RendererClient = {
    call: (async (method: string, input: Record<string, unknown>) => {
      await Promise.resolve();
      server.calls.push({ method, input });
      if (method === "node/info") {
        server.infos += 1;
        return { nodeId: SELF, workspaceId: "w_1", version: "0", host: "embedded" };
      }
      if (method === "member/list") {
        server.lists += 1;
        const answer = server.members;
        if (hold) await hold;
        return { members: answer };
      }
      if (server.refuse) throw server.refuse;
      if (method === "member/invite") return { invite: `invite-for-${String(input["name"])}` };
      if (method === "member/remove") {
        server.members = server.members.map((m) => (m.nodeId === input["nodeId"] ? { ...m, removed: true } : m));
        return { nodeId: input["nodeId"] };
      }
      if (method === "member/join") return { workspaceId: "w_2" };
      throw new ApiFailure("unknown_method", method);
    }) as RendererClient["call"],
    on: ((_event: string, cb: (p: EventPayload<"member/changed">) => void) => {
      changed = cb;
      return () => {
        changed = null;
      };
    }) as RendererClient["on"],
    connection: {
      get: () => state,
      subscribe: (cb) => {
        connectionListener = cb;
        return () => {
          connectionListener = null;
        };
      },
    },
    close: () => {},
  };
  return {
    client,
    server,
    holdList: () => {
      hold = new Promise((r) => (release = r));
    },
    release: () => {
      hold = null;
      release();
    },
    emit: (members: Member[]) => changed?.({ members }),
    setConnection: (s: ConnectionState) => {
      state = s;
      connectionListener?.(s);
    },
    subscribed: () => changed !== null && connectionListener !== null,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("createMembersStore", () => {
  it("loads who this device is and the list at start; an admin entry makes it admin", async () => {
    const f = fakeClient([member(), member({ nodeId: OTHER, name: "Bo", role: "member", addedBy: SELF })]);
    const store = createMembersStore(f.client);
    await settle();
    expect(store.getState().selfId).toBe(SELF);
    expect(store.getState().members?.map((m) => m.name)).toEqual(["Ada", "Bo"]);
    expect(store.getState().isAdmin).toBe(true);
  });

  it("a plain member, or a removed admin, is not admin", () => {
    expect(adminIn([member({ role: "member" })], SELF)).toBe(false);
    expect(adminIn([member({ removed: true })], SELF)).toBe(false);
    expect(adminIn([member({ nodeId: OTHER })], SELF)).toBe(false);
    expect(adminIn([member()], null)).toBe(false);
    expect(adminIn(null, SELF)).toBe(false);
  });

  it("member/changed replaces the list outright, and the admin flag with it", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    const demoted = [member({ role: "member" }), member({ nodeId: OTHER, name: "Bo" })];
    f.emit(demoted);
    expect(store.getState().members).toEqual(demoted);
    expect(store.getState().isAdmin).toBe(false);
    expect(f.server.lists).toBe(1);
  });

  it("drops a fetched list when an event arrived while it was in flight", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    f.holdList();
    const refreshing = store.getState().refresh();
    await settle();
    const newer = [member(), member({ nodeId: OTHER, name: "Newer" })];
    f.emit(newer);
    f.release();
    await refreshing;
    expect(store.getState().members).toEqual(newer);
  });

  it("refetches on each transition to online, not while it stays online", async () => {
    const f = fakeClient([member()]);
    createMembersStore(f.client);
    await settle();
    expect(f.server.lists).toBe(1);
    f.setConnection("online");
    await settle();
    expect(f.server.lists).toBe(2);
    f.setConnection("online");
    await settle();
    expect(f.server.lists).toBe(2);
    f.setConnection("offline");
    f.setConnection("online");
    await settle();
    expect(f.server.lists).toBe(3);
    expect(f.server.infos).toBe(1);
  });

  it("keeps the last list and reports why a refetch failed", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    f.client.call = (async () => {
      throw new ApiFailure("unavailable", "cannot reach the Musher host");
    }) as RendererClient["call"];
    await store.getState().refresh();
    expect(store.getState().members).toHaveLength(1);
    expect(store.getState().loadError).toBe("cannot reach the Musher host");
  });

  it("invite returns the line and refetches; a node's forbidden is reported as such", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    expect(await store.getState().invite("Bo", "member")).toEqual({ ok: true, invite: "invite-for-Bo" });
    expect(f.server.calls.find((c) => c.method === "member/invite")?.input).toEqual({ name: "Bo", role: "member" });
    await settle();
    expect(f.server.lists).toBe(2);

    f.server.refuse = new ApiFailure("forbidden", "only an admin can invite");
    expect(await store.getState().invite("Cy", "admin")).toEqual({
      ok: false,
      error: "only an admin can invite",
      code: "forbidden",
      forbidden: true,
    });
    f.server.refuse = new ApiFailure("invalid_input", "invalid input", [{ path: ["name"], message: "an invite needs a name", code: "too_small" }]);
    const bad = await store.getState().invite("", "member");
    expect(bad).toMatchObject({ ok: false, forbidden: false, code: "invalid_input" });
    expect(!bad.ok && bad.error).toContain("an invite needs a name");
  });

  it("remove refetches the list, which shows the member removed", async () => {
    const f = fakeClient([member(), member({ nodeId: OTHER, name: "Bo", role: "member" })]);
    const store = createMembersStore(f.client);
    await settle();
    expect(await store.getState().remove(OTHER)).toEqual({ ok: true });
    await settle();
    expect(store.getState().members?.find((m) => m.nodeId === OTHER)?.removed).toBe(true);
  });

  it("join forgets the old workspace's list and loads the new one", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    // The node has adopted the new workspace when member/join answers.
    f.server.members = [member({ nodeId: OTHER, name: "Their admin" }), member({ role: "member", name: "Me", addedBy: OTHER })];
    f.holdList();
    expect(await store.getState().join("musher-invite")).toEqual({ ok: true, workspaceId: "w_2" });
    expect(store.getState().members).toBeNull();
    expect(store.getState().isAdmin).toBe(false);
    f.release();
    await settle();
    expect(store.getState().members?.map((m) => m.name)).toEqual(["Their admin", "Me"]);
  });

  it("a join the node refuses keeps the list and says why", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    f.server.refuse = new ApiFailure("conflict", "this node already has data");
    expect(await store.getState().join("x")).toEqual({ ok: false, error: "this node already has data", code: "conflict", forbidden: false });
    expect(store.getState().members).toHaveLength(1);
  });

  it("isFresh: only once the list is known and names nobody (a founder lists itself)", () => {
    expect(isFresh({ members: null })).toBe(false);
    expect(isFresh({ members: [] })).toBe(true);
    expect(isFresh({ members: [member()] })).toBe(false);
    expect(isFresh({ members: [member({ removed: true })] })).toBe(false);
  });

  it("dispose unsubscribes from the event and the connection", async () => {
    const f = fakeClient([member()]);
    const store = createMembersStore(f.client);
    await settle();
    expect(f.subscribed()).toBe(true);
    store.dispose();
    expect(f.subscribed()).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import type { Session } from "../../../src-shared/Session";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { createNavigationStore } from "./useNavigationStore";
import { createSessionsStore } from "./useSessionsStore";

const session = (id: string, storyId?: string): Session => ({ id, title: id, createdAt: 1, ...(storyId ? { storyId } : {}) });

/** A node with a few sessions; records every `session/list` input. */
function fakeClient() {
  const sessions = [session("s1", "story-a"), session("s2", "story-b"), session("s3")];
  const lists: string[] = [];
  let connectionListener: ((s: ConnectionState) => void) | null = null;
  const client: RendererClient = {
    call: (async (method: string, input: { storyId?: string }) => {
      await Promise.resolve();
      if (method === "session/list") {
        lists.push(input.storyId ?? "all");
        return sessions.filter((s) => input.storyId === undefined || s.storyId === input.storyId);
      }
      if (method === "session/memcells" || method === "session/buffer") return [];
      throw new ApiFailure("unknown_method", method);
    }) as RendererClient["call"],
    on: (() => () => {}) as RendererClient["on"],
    connection: {
      get: () => "connecting",
      subscribe: (cb) => {
        connectionListener = cb;
        return () => {};
      },
    },
    close: () => {},
  };
  return { client, lists, setConnection: (s: ConnectionState) => connectionListener?.(s) };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("createSessionsStore over the navigation store", () => {
  it("loads nothing until the Sessions view is entered, then the list once per entry", async () => {
    const f = fakeClient();
    const nav = createNavigationStore();
    const store = createSessionsStore(f.client, nav);
    await settle();
    expect(f.lists).toEqual([]);
    nav.getState().setView("sessions");
    await settle();
    expect(store.getState().sessions?.map((s) => s.id)).toEqual(["s1", "s2", "s3"]);
    expect(f.lists).toEqual(["all"]);
    nav.getState().setView("board");
    nav.getState().setView("sessions");
    await settle();
    expect(f.lists).toEqual(["all", "all"]);
  });

  it("loads the open drawer's sessions, drops them when another story opens, and empties on close", async () => {
    const f = fakeClient();
    const nav = createNavigationStore();
    const store = createSessionsStore(f.client, nav);
    nav.getState().openStory("story-a");
    expect(store.getState().storySessions).toBeNull();
    await settle();
    expect(store.getState().storySessions?.map((s) => s.id)).toEqual(["s1"]);
    nav.getState().openStory("story-b");
    expect(store.getState().storySessions).toBeNull();
    await settle();
    expect(store.getState().storySessions?.map((s) => s.id)).toEqual(["s2"]);
    nav.getState().openStory(null);
    await settle();
    expect(store.getState().storySessions).toBeNull();
    expect(f.lists).toEqual(["story-a", "story-b"]);
  });

  it("opening a session from a drawer shows the Sessions view with it selected and the drawer closed", async () => {
    const f = fakeClient();
    const nav = createNavigationStore();
    const store = createSessionsStore(f.client, nav);
    nav.getState().openStory("story-b");
    await settle();
    await store.getState().openSession("s2");
    await settle();
    expect(nav.getState()).toMatchObject({ view: "sessions", openStoryId: null });
    expect(store.getState()).toMatchObject({ selectedId: "s2", storySessions: null, storyFilter: null });
    expect(store.getState().sessions?.map((s) => s.id)).toEqual(["s1", "s2", "s3"]);
    // One list fetch for the drawer, one for entering the view: opening does not fetch the list twice.
    expect(f.lists).toEqual(["story-b", "all"]);
  });

  it("refetches the list on reconnect only while the Sessions view is shown", async () => {
    const f = fakeClient();
    const nav = createNavigationStore();
    createSessionsStore(f.client, nav);
    f.setConnection("online");
    await settle();
    expect(f.lists).toEqual([]);
    nav.getState().setView("sessions");
    await settle();
    f.setConnection("offline");
    f.setConnection("online");
    await settle();
    expect(f.lists).toEqual(["all", "all"]);
  });
});

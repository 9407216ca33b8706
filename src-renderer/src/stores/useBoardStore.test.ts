import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import type { Board } from "../../../src-shared/Board";
import type { EventPayload } from "../../../src-shared/contract";
import { layoutOf, testBoard } from "../testing/testBoard";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { createBoardStore } from "./useBoardStore";

/** A client whose server board the test edits, counting `board/get` calls. */
function fakeClient(initial: Board) {
  const server = { board: initial, gets: 0, failMove: false, moves: [] as string[] };
  let changed: ((p: EventPayload<"board/changed">) => void) | null = null;
  let connectionListener: ((s: ConnectionState) => void) | null = null;
  let state: ConnectionState = "connecting";
  const client: RendererClient = {
    call: (async (method: string, input: { id?: string; stage?: string; index?: number }) => {
      await Promise.resolve();
      if (method === "board/get") {
        server.gets += 1;
        return server.board;
      }
      if (method === "story/move") {
        server.moves.push(`${input.id}->${input.stage}@${input.index}`);
        if (server.failMove) throw new ApiFailure("conflict", "nope");
        return server.board.stories[0];
      }
      throw new ApiFailure("unknown_method", method);
    }) as RendererClient["call"],
    on: ((_event: string, cb: (p: EventPayload<"board/changed">) => void) => {
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
    emitChanged: () => changed?.({ storyIds: [] }),
    setConnection: (s: ConnectionState) => {
      state = s;
      connectionListener?.(s);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe("createBoardStore", () => {
  it("loads the board at start", async () => {
    const f = fakeClient(testBoard({ "1_backlog": ["a"] }));
    const store = createBoardStore(f.client);
    expect(store.getState().loading).toBe(true);
    await settle();
    expect(store.getState().loading).toBe(false);
    expect(layoutOf(store.getState().board!)).toEqual({ "1_backlog": ["a"] });
  });

  it("coalesces a burst of board/changed into at most two fetches", async () => {
    const f = fakeClient(testBoard({}));
    createBoardStore(f.client);
    await settle();
    const before = f.server.gets;
    for (let i = 0; i < 20; i++) f.emitChanged();
    await settle();
    expect(f.server.gets - before).toBeLessThanOrEqual(2);
  });

  it("refetches when the connection comes back", async () => {
    const f = fakeClient(testBoard({}));
    const store = createBoardStore(f.client);
    await settle();
    f.setConnection("offline");
    f.server.board = testBoard({ "3_qa": ["x"] });
    f.setConnection("online");
    await settle();
    expect(store.getState().connection).toBe("online");
    expect(layoutOf(store.getState().board!)).toEqual({ "3_qa": ["x"] });
  });

  it("moves optimistically, serializes calls, and rolls back with an error on failure", async () => {
    const board = testBoard({ "1_backlog": ["a", "b"] });
    const f = fakeClient(board);
    const store = createBoardStore(f.client);
    await settle();
    f.server.failMove = true;
    const first = store.getState().moveStory("a", "2_current", 0);
    const second = store.getState().moveStory("b", "2_current", 1);
    expect(layoutOf(store.getState().board!)).toEqual({ "2_current": ["a", "b"] });
    expect(await first).toBe(false);
    expect(await second).toBe(false);
    expect(f.server.moves).toEqual(["a->2_current@0", "b->2_current@1"]);
    await settle();
    expect(store.getState().error).toBe("Could not move 'b': nope");
    expect(layoutOf(store.getState().board!)).toEqual({ "1_backlog": ["a", "b"] });
    store.getState().dismissError();
    expect(store.getState().error).toBeNull();
  });

  it("rolls a failed move back at once even when the node stays unreachable, naming it", async () => {
    const f = fakeClient(testBoard({ "1_backlog": ["a", "b"] }));
    const store = createBoardStore(f.client);
    await settle();
    const down = f.client.call;
    f.client.call = (async () => {
      await Promise.resolve();
      throw new TypeError("Failed to fetch");
    }) as RendererClient["call"];
    expect(await store.getState().moveStory("a", "3_qa", 0)).toBe(false);
    expect(layoutOf(store.getState().board!)).toEqual({ "1_backlog": ["a", "b"] });
    expect(store.getState().error).toBe("Could not move 'a': node unreachable");
    await settle();
    f.client.call = down;
    // The failed refresh did not replace the action's message; a later success clears it.
    expect(store.getState().error).toBe("Could not move 'a': node unreachable");
    expect(await store.getState().moveStory("b", "2_current", 0)).toBe(true);
    expect(store.getState().error).toBeNull();
  });

  it("a refresh error clears itself once a refresh works again", async () => {
    const f = fakeClient(testBoard({ "1_backlog": ["a"] }));
    const store = createBoardStore(f.client);
    await settle();
    const up = f.client.call;
    f.client.call = (async () => {
      throw new TypeError("Failed to fetch");
    }) as RendererClient["call"];
    await store.getState().refresh();
    expect(store.getState().error).toMatch(/Could not refresh/);
    f.client.call = up;
    await store.getState().refresh();
    expect(store.getState().error).toBeNull();
  });
});

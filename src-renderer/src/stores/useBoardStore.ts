/**
 * The board's state and the actions that change it, over any `RendererClient`.
 *
 * Invariants:
 * - The server's board is the truth. Local edits are applied optimistically
 *   (so cards and keyboard focus move at once) and always followed by a
 *   refetch; a failed call refetches to roll back.
 * - A refetch whose response could predate a local edit is dropped: it is
 *   applied only if no mutation started or finished while it was in flight.
 * - Refetches are coalesced: a burst of `board/changed` events costs at most
 *   one fetch in flight plus one queued.
 * - Events may be missed while the push channel is down, so every transition
 *   to "online" refetches.
 * - Mutations reach the client one at a time, in the order they were made.
 * - Actions never throw: failures land in `error` for the banner.
 *
 * `createBoardStore` is called once per client by the app root; nothing here
 * is module-level, so tests can build as many stores as they like.
 */
import { useContext } from "react";
import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Board } from "../../../src-shared/Board";
import type { StageId } from "../../../src-shared/stages";
import { applyMove } from "../board/applyMove";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { coalesce } from "../lib/coalesce";
import { describeError } from "../lib/describeError";
import { yieldToBrowser } from "../lib/yieldToBrowser";
import { BoardStoreContext } from "./BoardStoreContext";

/** Boards with more stories than this are rendered in a task after the fetch's. */
const LARGE_BOARD = 1000;

export interface BoardState {
  board: Board | null;
  /** True until the first board arrives (or the first load fails). */
  loading: boolean;
  /** Why the board could not be loaded at all (shown instead of the board). */
  loadError: string | null;
  /** The latest failed action, for the dismissible banner. */
  error: string | null;
  connection: ConnectionState;
  /** Refetches the board (coalesced); resolves when a fresh board was applied or failed. */
  refresh(): Promise<void>;
  /** Creates a story (last in `stage`, default Backlog); resolves with its id, or null when it failed. */
  createStory(name: string, stage?: StageId): Promise<string | null>;
  /** Moves a story to `index` among the other visible stories of `stage`. */
  moveStory(id: string, stage: StageId, index: number): Promise<boolean>;
  /** Claims (for this node), releases, hides or unhides a story; resolves true on success. */
  storyAction(action: StoryAction, id: string): Promise<boolean>;
  dismissError(): void;
}

export type StoryAction = "story/claim" | "story/release" | "story/hide" | "story/unhide";

export type BoardStore = StoreApi<BoardState> & { dispose(): void };

export function createBoardStore(client: RendererClient): BoardStore {
  // Bumped when a mutation starts and when it ends; see the stale-refetch invariant.
  let mutationEpoch = 0;
  let mutationsInFlight = 0;

  const store = createStore<BoardState>()((set, get) => {
    const fetchBoard = async (): Promise<void> => {
      const epoch = mutationEpoch;
      try {
        const board = await client.call("board/get", {});
        // A large board renders in a task of its own, after the one that validated it.
        if (board.stories.length > LARGE_BOARD) await yieldToBrowser();
        if (epoch !== mutationEpoch || mutationsInFlight > 0) return; // the mutation's own refetch follows
        set({ board, loading: false, loadError: null });
      } catch (err) {
        if (get().board === null) set({ loading: false, loadError: describeError(err) });
        else set({ error: `Could not refresh the board: ${describeError(err)}` });
      }
    };
    const refresh = coalesce(fetchBoard);

    // Calls run one after another, in the order the user made them: two
    // quick keyboard moves sent concurrently could reach the host reordered.
    let queue: Promise<unknown> = Promise.resolve();
    const mutate = <T>(optimistic: (() => void) | null, call: () => Promise<T>): Promise<T | null> => {
      mutationEpoch += 1;
      mutationsInFlight += 1;
      optimistic?.();
      const run = async (): Promise<T | null> => {
        try {
          return await call();
        } catch (err) {
          set({ error: describeError(err) });
          return null;
        } finally {
          mutationsInFlight -= 1;
          mutationEpoch += 1;
          void refresh();
        }
      };
      const result = queue.then(run);
      queue = result;
      return result;
    };

    return {
      board: null,
      loading: true,
      loadError: null,
      error: null,
      connection: client.connection.get(),
      refresh,
      dismissError: () => set({ error: null }),
      createStory: async (name, stage = "1_backlog") => {
        const story = await mutate(null, () => client.call("story/create", { name: name.trim(), stage }));
        const board = get().board;
        if (story && board && !board.stories.some((s) => s.id === story.id)) {
          // Show it now, last in its stage, as the server placed it; the refetch confirms.
          const count = board.stories.filter((s) => s.stage === story.stage && !s.hidden).length;
          set({ board: applyMove({ ...board, stories: [...board.stories, story] }, story.id, story.stage, count) });
        }
        return story?.id ?? null;
      },
      storyAction: async (action, id) => (await mutate(null, () => client.call(action, { id }))) !== null,
      moveStory: async (id, stage, index) => {
        const optimistic = () => {
          const board = get().board;
          if (board) set({ board: applyMove(board, id, stage, index) });
        };
        const moved = await mutate(optimistic, () => client.call("story/move", { id, stage, index }));
        return moved !== null;
      },
    };
  });

  const offEvent = client.on("board/changed", () => {
    void store.getState().refresh();
  });
  const offConnection = client.connection.subscribe((connection) => {
    const was = store.getState().connection;
    store.setState({ connection });
    if (connection === "online" && was !== "online") void store.getState().refresh();
  });
  void store.getState().refresh();

  return {
    ...store,
    dispose: () => {
      offEvent();
      offConnection();
    },
  };
}

/** Reads a slice of the board store provided by `BoardStoreContext`. */
export function useBoardStore<T>(selector: (state: BoardState) => T): T {
  const store = useContext(BoardStoreContext);
  if (!store) throw new Error("useBoardStore needs a BoardStoreContext provider");
  return useStore(store, selector);
}

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
 * - Actions never throw: failures land in `error` for the banner, named
 *   ("Could not move 'X': …"), and an optimistic change is rolled back at
 *   once (the board as it was before it), not left on screen until a
 *   refetch that may itself fail.
 * - A banner about a failed refresh clears itself when a refresh succeeds
 *   or the connection comes back: banners never outlive their cause.
 *
 * `createBoardStore` is called once per client by the app root; nothing here
 * is module-level, so tests can build as many stores as they like.
 */
import { createContext, useContext } from "react";
import { useStore, type StateCreator } from "zustand";
import type { Board } from "../../../src-shared/Board";
import type { Input, Method, Output } from "../../../src-shared/contract";
import type { StageId } from "../../../src-shared/stages";
import type { HistoryEntry, Story, StoryDetail } from "../../../src-shared/Story";
import { sortStories } from "../../../src-shared/sortStories";
import { applyMove } from "../board/applyMove";
import type { ConnectionState, RendererClient } from "../client/ConnectionSource";
import { coalesce } from "../lib/coalesce";
import { describeError } from "../lib/describeError";
import { yieldToBrowser } from "../lib/yieldToBrowser";
import { createLiveStore, type LiveStore } from "./createLiveStore";

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
  /** What `error` is about: a refresh error clears itself when a refresh works again. */
  errorKind: "action" | "refresh" | null;
  /** A short notice with an optional Undo (after a delete, an undo, a redo). */
  toast: { text: string; restoreId?: string } | null;
  /** Whether hidden stories are on the board (the "Hidden" filter). */
  showHidden: boolean;
  connection: ConnectionState;
  /** Refetches the board (coalesced); resolves when a fresh board was applied or failed. */
  refresh(): Promise<void>;
  /** Creates a story (last in `stage`, default Backlog); resolves with its id, or null when it failed. */
  createStory(name: string, stage?: StageId): Promise<string | null>;
  /** Moves a story to `index` among the other visible stories of `stage`. */
  moveStory(id: string, stage: StageId, index: number): Promise<boolean>;
  /**
   * Any story edit by name: `label` names it in the failure message ("rename 'X'").
   * Resolves the result, or null after showing the failure.
   */
  edit<M extends Method>(label: string, method: M, input: Input<M>): Promise<Output<M> | null>;
  /** Deletes and offers "Deleted · Undo". */
  deleteStory(id: string, name: string): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  setShowHidden(show: boolean): void;
  /** Reads (never fail loudly: null when the node cannot answer). */
  loadStory(id: string): Promise<StoryDetail | null>;
  loadHistory(id: string): Promise<HistoryEntry[] | null>;
  loadTrash(): Promise<Story[] | null>;
  /** Claims (for this node), releases, hides or unhides a story; resolves true on success. */
  storyAction(action: StoryAction, id: string): Promise<boolean>;
  dismissError(): void;
  dismissToast(): void;
}

export type StoryAction = "story/claim" | "story/release" | "story/hide" | "story/unhide";

export type BoardStore = LiveStore<BoardState>;

/** Carries the app's one board store (made by `createBoardStore`) down the tree; `main.tsx` provides it. */
export const BoardStoreContext = createContext<BoardStore | null>(null);

export function createBoardStore(client: RendererClient): BoardStore {
  // Bumped when a mutation starts and when it ends; see the stale-refetch invariant.
  let mutationEpoch = 0;
  let mutationsInFlight = 0;

  const init: StateCreator<BoardState> = (set, get) => {
    const fetchBoard = async (): Promise<void> => {
      const epoch = mutationEpoch;
      try {
        const board = await client.call("board/get", { includeHidden: get().showHidden });
        // A large board renders in a task of its own, after the one that validated it.
        if (board.stories.length > LARGE_BOARD) await yieldToBrowser();
        if (epoch !== mutationEpoch || mutationsInFlight > 0) return; // the mutation's own refetch follows
        set({ board, loading: false, loadError: null, ...(get().errorKind === "refresh" ? { error: null, errorKind: null } : {}) });
      } catch (err) {
        if (get().board === null) set({ loading: false, loadError: describeError(err) });
        else if (get().errorKind !== "action") set({ error: `Could not refresh the board: ${describeError(err)}`, errorKind: "refresh" });
      }
    };
    const refresh = coalesce(fetchBoard);

    // Calls run one after another, in the order the user made them: two
    // quick keyboard moves sent concurrently could reach the host reordered.
    let queue: Promise<unknown> = Promise.resolve();
    /** `optimistic` changes the shown board and returns how to put that one story back. */
    const mutate = <T>(optimistic: (() => (() => void) | null) | null, call: () => Promise<T>, label?: string): Promise<T | null> => {
      mutationEpoch += 1;
      mutationsInFlight += 1;
      const rollback = optimistic?.() ?? null;
      const run = async (): Promise<T | null> => {
        try {
          const out = await call();
          if (get().errorKind === "action") set({ error: null, errorKind: null });
          return out;
        } catch (err) {
          // Roll back now: the refetch below may fail too (the node may be unreachable).
          rollback?.();
          set({ error: label ? `Could not ${label}: ${reason(err)}` : describeError(err), errorKind: "action" });
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

    const nameOf = (id: string): string => quote(get().board?.stories.find((x) => x.id === id)?.name ?? "the story");
    const read = async <T>(call: () => Promise<T>): Promise<T | null> => {
      try {
        return await call();
      } catch {
        return null;
      }
    };
    const undoOrRedo = async (which: "undo" | "redo"): Promise<void> => {
      const summary = async (): Promise<{ text: string | null }> =>
        which === "undo" ? { text: (await client.call("edit/undo", {})).undone } : { text: (await client.call("edit/redo", {})).redone };
      const out = await mutate(null, summary, which);
      if (!out) return;
      const text = out.text;
      set({ toast: { text: text ?? (which === "undo" ? "Nothing to undo" : "Nothing to redo") } });
    };

    return {
      board: null,
      loading: true,
      loadError: null,
      error: null,
      errorKind: null,
      toast: null,
      showHidden: false,
      connection: client.connection.get(),
      refresh,
      dismissError: () => set({ error: null, errorKind: null }),
      dismissToast: () => set({ toast: null }),
      setShowHidden: (show) => {
        if (get().showHidden === show) return;
        set({ showHidden: show });
        void refresh();
      },
      edit: (label, method, input) => mutate(null, () => client.call(method, input), label),
      deleteStory: async (id, name) => {
        const optimistic = () => {
          const board = get().board;
          const story = board?.stories.find((s) => s.id === id);
          if (!board || !story) return null;
          set({ board: { ...board, stories: board.stories.filter((s) => s.id !== id) } });
          return () => {
            const now = get().board;
            if (now && !now.stories.some((s) => s.id === id)) set({ board: { ...now, stories: sortStories([...now.stories, story]) } });
          };
        };
        const out = await mutate(optimistic, () => client.call("story/delete", { id }), `delete ${quote(name)}`);
        if (out) set({ toast: { text: "Deleted", restoreId: id } });
        return out !== null;
      },
      undo: () => undoOrRedo("undo"),
      redo: () => undoOrRedo("redo"),
      loadStory: (id) => read(() => client.call("story/get", { id })),
      loadTrash: async () => (await read(() => client.call("story/trash", {})))?.stories ?? null,
      loadHistory: async (id) => (await read(() => client.call("story/history", { id })))?.entries ?? null,
      createStory: async (name, stage = "1_backlog") => {
        const story = await mutate(null, () => client.call("story/create", { name: name.trim(), stage }), `create ${quote(name.trim())}`);
        const board = get().board;
        if (story && board && !board.stories.some((s) => s.id === story.id)) {
          // Show it now, last in its stage, as the server placed it; the refetch confirms.
          const count = board.stories.filter((s) => s.stage === story.stage && !s.hidden).length;
          set({ board: applyMove({ ...board, stories: [...board.stories, story] }, story.id, story.stage, count) });
        }
        return story?.id ?? null;
      },
      storyAction: async (action, id) => (await mutate(null, () => client.call(action, { id }), `${action.slice("story/".length)} ${nameOf(id)}`)) !== null,
      moveStory: async (id, stage, index) => {
        const optimistic = () => {
          const board = get().board;
          const story = board?.stories.find((s) => s.id === id);
          if (!board || !story) return null;
          const column = board.stories.filter((s) => s.stage === story.stage && !s.hidden);
          const from = { stage: story.stage, index: Math.max(0, column.findIndex((s) => s.id === id)) };
          set({ board: applyMove(board, id, stage, index) });
          return () => {
            const now = get().board;
            if (now) set({ board: applyMove(now, id, from.stage, from.index) });
          };
        };
        const moved = await mutate(optimistic, () => client.call("story/move", { id, stage, index }), `move ${nameOf(id)}`);
        return moved !== null;
      },
    };
  };

  return createLiveStore(client, {
    init,
    refetch: (store) => store.getState().refresh(),
    events: { "board/changed": (_payload, store) => void store.getState().refresh() },
    onConnection: (connection, was, store) => {
      store.setState({ connection });
      // The banner's cause is gone; the refetch that follows shows whether it is back.
      if (connection === "online" && was !== "online" && store.getState().errorKind === "refresh") store.setState({ error: null, errorKind: null });
    },
  });
}

const quote = (s: string): string => `'${s.length > 40 ? `${s.slice(0, 37)}…` : s}'`;

/** Why a call failed, in words a person can act on ("node unreachable" for a network failure). */
function reason(err: unknown): string {
  const text = describeError(err);
  return err instanceof TypeError || /fetch|network|ECONNREFUSED|unreachable/i.test(text) ? "node unreachable" : text;
}

/** Reads a slice of the board store provided by `BoardStoreContext`. */
export function useBoardStore<T>(selector: (state: BoardState) => T): T {
  const store = useContext(BoardStoreContext);
  if (!store) throw new Error("useBoardStore needs a BoardStoreContext provider");
  return useStore(store, selector);
}

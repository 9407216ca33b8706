/**
 * Sessions, memcells, the pending buffer and memory search, and the open
 * story drawer's sessions. Where the window is (view, drawer) is the
 * navigation store's; this store follows it.
 *
 * Invariants:
 * - The node is the truth: every action is followed by a refetch of what it
 *   touched; nothing is edited optimistically (memorize decides segmentation).
 * - `session/changed` refetches the list (coalesced) and, when it names the
 *   selected session, that session's memcells and buffer; a story's drawer
 *   refetches its own sessions. Every transition to "online" refetches all,
 *   because events may have been missed.
 * - Entering the Sessions view refetches the list; opening a story's drawer
 *   (another story, or none) drops and refetches the drawer's sessions.
 * - A detail answer for a session that is no longer selected is dropped.
 * - `focus` is the search hit last opened (its memcell or message is scrolled
 *   to and highlighted); selecting another session clears it.
 * - Actions never throw: failures land in `error` (shown in the view).
 */
import { createContext, useContext } from "react";
import { useStore, type StateCreator } from "zustand";
import type { MemCell } from "../../../src-shared/MemCell";
import type { MemoryHit } from "../../../src-shared/MemoryHit";
import type { Message } from "../../../src-shared/Message";
import type { Session } from "../../../src-shared/Session";
import type { RendererClient } from "../client/ConnectionSource";
import { coalesce } from "../lib/coalesce";
import { describeError } from "../lib/describeError";
import { createLiveStore, type LiveStore } from "./createLiveStore";
import type { NavigationStore } from "./useNavigationStore";

/** The search hit last opened: where the selected session is highlighted. */
export interface SearchFocus {
  sessionId: string;
  kind: MemoryHit["kind"];
  /** The memcell or message id. */
  id: string;
  snippet: string;
  matches: NonNullable<MemoryHit["matches"]>;
  /** Bumped on every opening, so opening the same hit again scrolls again. */
  seq: number;
}

export interface SessionsState {
  /** Story filter of the sessions list; null = all sessions. */
  storyFilter: string | null;
  sessions: Session[] | null;
  selectedId: string | null;
  memcells: MemCell[] | null;
  buffer: Message[] | null;
  query: string;
  /** Null when no search has run for the current query. */
  hits: MemoryHit[] | null;
  /** The open drawer's story's sessions, once loaded. */
  storySessions: Session[] | null;
  focus: SearchFocus | null;
  error: string | null;
  setStoryFilter(storyId: string | null): Promise<void>;
  /** Refetches the list, the selected session, the open story's sessions and the search. */
  refreshAll(selectedChanged: boolean): Promise<void>;
  refreshSessions(): Promise<void>;
  /** Refetches the open drawer's story's sessions (coalesced). */
  refreshStorySessions(): Promise<void>;
  selectSession(id: string | null): Promise<void>;
  /** Opens the Sessions view on one session (from a search hit or a story's drawer). */
  openSession(id: string): Promise<void>;
  createSession(title: string, storyId: string | null): Promise<boolean>;
  flush(): Promise<void>;
  setHidden(memCellId: string, hidden: boolean): Promise<void>;
  search(query: string): Promise<void>;
  /** Opens a hit's session, scrolled to its memcell or message, highlighted. */
  openHit(hit: MemoryHit): Promise<void>;
  /** One story's memory (the drawer's search); [] and `error` set on failure. */
  searchStory(storyId: string, query: string): Promise<MemoryHit[]>;
  dismissError(): void;
}

export type SessionsStore = LiveStore<SessionsState>;

/** Carries the app's one sessions store (made by `createSessionsStore`) down the tree; `main.tsx` provides it. */
export const SessionsStoreContext = createContext<SessionsStore | null>(null);

export function createSessionsStore(client: RendererClient, navigation: NavigationStore): SessionsStore {
  const init: StateCreator<SessionsState> = (set, get) => {
    const fail = (err: unknown) => set({ error: describeError(err) });

    const fetchList = async (): Promise<void> => {
      const filter = get().storyFilter;
      try {
        const sessions = await client.call("session/list", filter === null ? {} : { storyId: filter });
        if (get().storyFilter === filter) set({ sessions });
      } catch (err) {
        fail(err);
      }
    };
    const refreshList = coalesce(fetchList);

    const fetchDetail = async (): Promise<void> => {
      const id = get().selectedId;
      if (id === null) return;
      try {
        const [memcells, buffer] = await Promise.all([
          client.call("session/memcells", { sessionId: id, includeHidden: true }),
          client.call("session/buffer", { sessionId: id }),
        ]);
        if (get().selectedId === id) set({ memcells, buffer });
      } catch (err) {
        fail(err);
      }
    };
    const refreshDetail = coalesce(fetchDetail);

    const fetchStorySessions = async (): Promise<void> => {
      const storyId = navigation.getState().openStoryId;
      if (storyId === null) return;
      try {
        const storySessions = await client.call("session/list", { storyId });
        if (navigation.getState().openStoryId === storyId) set({ storySessions });
      } catch (err) {
        fail(err);
      }
    };
    const refreshStorySessions = coalesce(fetchStorySessions);

    const rerunSearch = async (): Promise<void> => {
      const query = get().query.trim();
      if (query === "") {
        set({ hits: null });
        return;
      }
      try {
        const filter = get().storyFilter;
        const hits = await client.call("memory/search", filter === null ? { query } : { query, storyId: filter });
        if (get().query.trim() === query) set({ hits });
      } catch (err) {
        fail(err);
      }
    };

    const refreshSearch = coalesce(rerunSearch);

    const selectSession = async (id: string | null): Promise<void> => {
      set({ selectedId: id, memcells: null, buffer: null });
      if (get().focus?.sessionId !== id) set({ focus: null });
      await refreshDetail();
    };

    return {
      storyFilter: null,
      sessions: null,
      selectedId: null,
      memcells: null,
      buffer: null,
      query: "",
      hits: null,
      storySessions: null,
      focus: null,
      error: null,
      setStoryFilter: async (storyFilter) => {
        set({ storyFilter, sessions: null });
        await Promise.all([refreshList(), rerunSearch()]);
      },
      refreshSessions: refreshList,
      refreshStorySessions,
      refreshAll: async (selectedChanged) => {
        await Promise.all([
          navigation.getState().view === "sessions" ? refreshList() : Promise.resolve(),
          selectedChanged ? refreshDetail() : Promise.resolve(),
          refreshStorySessions(),
          refreshSearch(),
        ]);
      },
      selectSession,
      openSession: async (id) => {
        const inList = get().sessions?.some((s) => s.id === id) ?? false;
        // A session outside the current story filter would be selected but invisible: clear the filter.
        if (!inList) set({ storyFilter: null });
        const entering = navigation.getState().view !== "sessions";
        navigation.getState().showSessions(); // entering the view fetches the list (see `follow` below)
        await Promise.all([entering ? Promise.resolve() : refreshList(), selectSession(id)]);
      },
      createSession: async (title, storyId) => {
        try {
          const session = await client.call("session/create", storyId === null ? { title } : { title, storyId });
          await refreshList();
          await selectSession(session.id);
          return true;
        } catch (err) {
          fail(err);
          return false;
        }
      },
      flush: async () => {
        const id = get().selectedId;
        if (id === null) return;
        try {
          await client.call("session/flush", { sessionId: id });
        } catch (err) {
          fail(err);
        }
        await refreshDetail();
      },
      setHidden: async (memCellId, hidden) => {
        try {
          await client.call(hidden ? "memcell/hide" : "memcell/unhide", { id: memCellId });
        } catch (err) {
          fail(err);
        }
        await Promise.all([refreshDetail(), rerunSearch()]);
      },
      search: async (query) => {
        set({ query, hits: query.trim() === "" ? null : get().hits });
        await rerunSearch();
      },
      openHit: async (hit) => {
        const seq = (get().focus?.seq ?? 0) + 1;
        set({ focus: { sessionId: hit.sessionId, kind: hit.kind, id: hit.id, snippet: hit.snippet, matches: hit.matches ?? [], seq } });
        await get().openSession(hit.sessionId);
      },
      searchStory: async (storyId, query) => {
        try {
          return await client.call("memory/search", { query, storyId });
        } catch (err) {
          fail(err);
          return [];
        }
      },
      dismissError: () => set({ error: null }),
    };
  };

  return createLiveStore(client, {
    init,
    lazy: true,
    refetch: (store) => store.getState().refreshAll(true),
    events: {
      "session/changed": ({ sessionId }, store) => void store.getState().refreshAll(sessionId === store.getState().selectedId),
    },
    follow: (store) =>
      navigation.subscribe((next, prev) => {
        if (next.view === "sessions" && prev.view !== "sessions") void store.getState().refreshSessions();
        if (next.openStoryId !== prev.openStoryId) {
          store.setState({ storySessions: null });
          void store.getState().refreshStorySessions();
        }
      }),
  });
}

/** Reads a slice of the sessions store provided by `SessionsStoreContext`. */
export function useSessionsStore<T>(selector: (state: SessionsState) => T): T {
  const store = useContext(SessionsStoreContext);
  if (!store) throw new Error("useSessionsStore needs a SessionsStoreContext provider");
  return useStore(store, selector);
}

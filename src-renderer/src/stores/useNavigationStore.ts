/**
 * Where the window is: which view fills it (board | sessions) and which
 * story's drawer is open. No router: this store is the app's one place for it.
 *
 * Invariants:
 * - Pure UI state: no node calls here. A store that loads data for a place
 *   follows this one (the sessions store loads its list on entering the
 *   Sessions view and a story's sessions when its drawer opens).
 * - At most one drawer: opening a story replaces the open one; showing the
 *   Sessions view for a session closes it.
 *
 * `createNavigationStore` is called once by the app root; nothing here is
 * module-level, so tests can build as many stores as they like.
 */
import { createContext, useContext } from "react";
import { createStore, useStore, type StoreApi } from "zustand";

export type View = "board" | "sessions";

export interface NavigationState {
  view: View;
  /** The story whose drawer is open. */
  openStoryId: string | null;
  setView(view: View): void;
  /** Opens a story's drawer, or closes the drawer (null). */
  openStory(storyId: string | null): void;
  /** The Sessions view with the drawer closed: where a session opens (from a drawer or a search hit). */
  showSessions(): void;
}

export type NavigationStore = StoreApi<NavigationState>;

/** Carries the app's one navigation store (made by `createNavigationStore`) down the tree; `main.tsx` provides it. */
export const NavigationStoreContext = createContext<NavigationStore | null>(null);

export function createNavigationStore(): NavigationStore {
  return createStore<NavigationState>()((set) => ({
    view: "board",
    openStoryId: null,
    setView: (view) => set({ view }),
    openStory: (openStoryId) => set({ openStoryId }),
    showSessions: () => set({ view: "sessions", openStoryId: null }),
  }));
}

/** Reads a slice of the navigation store provided by `NavigationStoreContext`. */
export function useNavigationStore<T>(selector: (state: NavigationState) => T): T {
  const store = useContext(NavigationStoreContext);
  if (!store) throw new Error("useNavigationStore needs a NavigationStoreContext provider");
  return useStore(store, selector);
}

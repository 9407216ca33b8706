/**
 * The workspace's members (`member/list`), who this device is (`node/info`),
 * and the membership actions the UI offers: invite, remove, and joining a
 * workspace from a pasted invite (the desktop app's first run).
 *
 * Invariants:
 * - The node is the truth. `member/changed` carries the whole list, so an
 *   event replaces it outright; `member/list` is fetched at start, after
 *   every action, and on every transition of the push channel to "online"
 *   (events may have been missed); fetches are coalesced. Nothing is edited
 *   optimistically: membership is signed changes the node validates, and
 *   only its answer says who is a member.
 * - A fetched list is dropped if an event arrived while the call was in
 *   flight: the event is at least as new.
 * - `isAdmin` is derived from the node's own answer (this device's entry,
 *   not removed, role admin). It only decides what the UI offers: the node
 *   refuses a plain member's invite or removal anyway (`forbidden`), and
 *   that refusal is returned as such so the UI can say so plainly.
 * - Actions never throw: they resolve a result the form that made them shows.
 *
 * The lifecycle (start fetch, event, reconnect refetch, dispose) is
 * `createLiveStore`'s. `createMembersStore` is called once per client by the
 * app root; nothing here is module-level, so tests can build as many stores
 * as they like.
 */
import { createContext, useContext } from "react";
import { useStore, type StateCreator } from "zustand";
import { ApiFailure, type ApiErrorCode } from "../../../src-shared/ApiError";
import type { Member, MemberRole } from "../../../src-shared/memberMethods";
import type { RendererClient } from "../client/ConnectionSource";
import { coalesce } from "../lib/coalesce";
import { describeError } from "../lib/describeError";
import { createLiveStore, type LiveStore } from "./createLiveStore";

export type { Member, MemberRole };

/**
 * What an action tells the form that made it. `code` is the node's error
 * code (null when the call failed without one); `forbidden`: the node says
 * this device may not (it is not an admin).
 */
export type ActionResult<T = object> = ({ ok: true } & T) | ActionFailure;
export interface ActionFailure {
  ok: false;
  error: string;
  code: ApiErrorCode | null;
  forbidden: boolean;
}

export interface MembersState {
  members: Member[] | null;
  /** This device's node key; null until `node/info` answered. */
  selfId: string | null;
  /** Derived from `members` and `selfId`. */
  isAdmin: boolean;
  /** Why the last fetch failed; null once a list arrives. */
  loadError: string | null;
  refresh(): Promise<void>;
  invite(name: string, role: MemberRole): Promise<ActionResult<{ invite: string }>>;
  remove(nodeId: string): Promise<ActionResult>;
  join(invite: string): Promise<ActionResult<{ workspaceId: string }>>;
  /**
   * Whether the "Join a workspace" dialog is open. Kept here, not in the
   * component that offers it: joining fills the board and the member list,
   * which unmounts those offers, and the dialog must stay to show the join.
   */
  joinOpen: boolean;
  setJoinOpen(open: boolean): void;
}

export type MembersStore = LiveStore<MembersState>;

/** Carries the app's one members store (made by `createMembersStore`) down the tree; `main.tsx` provides it. */
export const MembersStoreContext = createContext<MembersStore | null>(null);

/** The node refused because this device is not an admin (HTTP 403 `forbidden`). */
export function isForbidden(err: unknown): boolean {
  return err instanceof ApiFailure && err.code === "forbidden";
}

const failure = (err: unknown): ActionFailure => ({
  ok: false,
  error: describeError(err),
  code: err instanceof ApiFailure ? err.code : null,
  forbidden: isForbidden(err),
});

export function adminIn(members: readonly Member[] | null, selfId: string | null): boolean {
  if (members === null || selfId === null) return false;
  return members.some((m) => m.nodeId === selfId && !m.removed && m.role === "admin");
}

/**
 * This device holds no workspace yet: the member list is loaded and names
 * nobody, not even this device. That is the node's own condition for
 * `member/join` (a node that holds nothing); once a device founds its own
 * workspace (its first edit or invite writes the genesis) it lists itself
 * and can no longer join another, so joining is offered only while fresh.
 */
export function isFresh(state: Pick<MembersState, "members">): boolean {
  return state.members !== null && state.members.length === 0;
}

export function createMembersStore(client: RendererClient): MembersStore {
  // Bumped by every event; see the "event is at least as new" invariant.
  let eventEpoch = 0;

  const init: StateCreator<MembersState> = (set, get) => {
    const fetchAll = async (): Promise<void> => {
      const epoch = eventEpoch;
      try {
        const [info, list] = await Promise.all([
          get().selfId === null ? client.call("node/info", {}) : Promise.resolve(null),
          client.call("member/list", {}),
        ]);
        const selfId = info?.nodeId ?? get().selfId;
        if (epoch !== eventEpoch) set({ selfId, isAdmin: adminIn(get().members, selfId) });
        else set({ members: list.members, selfId, isAdmin: adminIn(list.members, selfId), loadError: null });
      } catch (err) {
        set({ loadError: describeError(err) });
      }
    };
    const refresh = coalesce(fetchAll);

    return {
      members: null,
      selfId: null,
      isAdmin: false,
      loadError: null,
      joinOpen: false,
      setJoinOpen: (joinOpen) => set({ joinOpen }),
      refresh,
      invite: async (name, role) => {
        try {
          const { invite } = await client.call("member/invite", { name, role });
          void refresh();
          return { ok: true, invite };
        } catch (err) {
          return failure(err);
        }
      },
      remove: async (nodeId) => {
        try {
          await client.call("member/remove", { nodeId });
          void refresh();
          return { ok: true };
        } catch (err) {
          return failure(err);
        }
      },
      join: async (invite) => {
        try {
          const { workspaceId } = await client.call("member/join", { invite });
          // A new workspace: who this device is among whom starts over.
          set({ members: null, isAdmin: false });
          void refresh();
          return { ok: true, workspaceId };
        } catch (err) {
          return failure(err);
        }
      },
    };
  };

  return createLiveStore(client, {
    init,
    refetch: (store) => store.getState().refresh(),
    events: {
      "member/changed": ({ members }, store) => {
        eventEpoch += 1;
        store.setState({ members, isAdmin: adminIn(members, store.getState().selfId), loadError: null });
      },
    },
  });
}

/** Reads a slice of the members store provided by `MembersStoreContext`. */
export function useMembersStore<T>(selector: (state: MembersState) => T): T {
  const store = useContext(MembersStoreContext);
  if (!store) throw new Error("useMembersStore needs a MembersStoreContext provider");
  return useStore(store, selector);
}

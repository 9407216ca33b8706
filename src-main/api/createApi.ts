/**
 * The contract's implementation, once, for every transport. Handlers receive
 * inputs already validated by `dispatch`. They do not emit events: the node
 * emits `board/changed` from the replica's commit hook, so local edits and
 * changes received from peers are announced the same way, after commit.
 * Session and memory methods live in `createMemoryApi.ts`, sync methods in
 * `createSyncApi.ts`, membership in `createMemberApi.ts`.
 */
import type { NodeInfo } from "../../src-shared/contract";
import type { BoardModel } from "../crdt/BoardModel";
import type { MemoryService } from "../memory/MemoryService";
import { createMemberApi, type MemberControl } from "./createMemberApi";
import { createMemoryApi } from "./createMemoryApi";
import { createSyncApi, type SyncControl } from "./createSyncApi";
import type { Handlers } from "./dispatch";

export interface ApiDeps {
  info: NodeInfo;
  board: BoardModel;
  memory: MemoryService;
  sync: SyncControl;
  members: MemberControl;
}

export function createApi({ info, board, memory, sync, members }: ApiDeps): Handlers {
  return {
    "node/info": () => info,
    "board/get": (input) => board.board({ includeHidden: input.includeHidden ?? false }),
    "story/create": (input) => board.create({ name: input.name, stage: input.stage ?? "1_backlog", agent: input.agent ?? null }),
    "story/update": ({ id, ...patch }) => board.update(id, patch),
    "story/move": (input) => board.move(input.id, input.stage, input.index),
    "story/retry": (input) => board.retry(input.id),
    "story/claim": (input) => board.claim(input.id, input.claimant ?? info.nodeId),
    "story/release": (input) => board.release(input.id),
    "story/hide": (input) => board.hide(input.id),
    "story/unhide": (input) => board.unhide(input.id),
    "story/delete": (input) => board.delete(input.id),
    "story/get": (input) => board.get(input.id),
    "story/history": (input) => board.history(input.id),
    "story/trash": () => board.trash(),
    "story/restore": (input) => board.restore(input.id),
    "edit/undo": () => board.undo(),
    "edit/redo": () => board.redo(),
    "stage/setLimit": (input) => board.setLimit(input.stage, input.limit),
    ...createMemoryApi(memory),
    ...createSyncApi(sync),
    ...createMemberApi(members),
  };
}

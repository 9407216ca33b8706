/**
 * The session/memory half of the contract (`src-shared/memoryMethods.ts`).
 * Inputs arrive validated by `dispatch`; the service raises `not_found` for
 * unknown sessions and memcells. Like the board handlers, these do not emit
 * events: the node announces `session/changed` from the replica after each
 * commit, for local and remote changes alike.
 */
import type { memoryMethods } from "../../src-shared/memoryMethods";
import type { MemoryService } from "../memory/MemoryService";
import type { Handlers } from "./dispatch";

export type MemoryHandlers = Pick<Handlers, keyof typeof memoryMethods>;

const DEFAULT_SEARCH_LIMIT = 20;

export function createMemoryApi(memory: MemoryService): MemoryHandlers {
  return {
    "session/create": (input) => memory.createSession(input),
    "session/list": (input) => memory.listSessions(input),
    "session/addMessages": (input) => memory.addMessages(input.sessionId, input.messages),
    "session/flush": (input) => memory.flush(input.sessionId),
    "session/memcells": (input) => memory.memcells(input.sessionId, input.includeHidden ?? false),
    "session/buffer": (input) => memory.buffer(input.sessionId),
    "memory/search": (input) =>
      memory.search(input.query, { storyId: input.storyId, limit: input.limit ?? DEFAULT_SEARCH_LIMIT }),
    "memcell/hide": (input) => memory.hide(input.id),
    "memcell/unhide": (input) => memory.unhide(input.id),
  };
}

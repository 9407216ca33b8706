/**
 * The checks every `MemoryStore.commitSegmentation` makes before it writes
 * anything (see `MemoryStore`): messages and memcells belong to the session,
 * a memcell is new and non-empty, each of its messages is stored or given
 * and in no memcell yet (nor in two of the new ones). Throws
 * `ApiFailure("conflict")`; returns what to write.
 */
import { ApiFailure } from "../../src-shared/ApiError";
import type { Message } from "./Message";
import type { Segmentation } from "./MemoryStore";

export interface StoredMessage {
  sessionId: string;
  /** Already in a memcell. */
  consumed: boolean;
}

export interface CheckedSegmentation {
  /** Given messages not stored yet, first occurrence of each id. */
  fresh: Map<string, Message>;
  /** Message id → the new memcell that takes it. */
  claimed: Map<string, string>;
}

export function checkSegmentation(
  sessionId: string,
  segmentation: Segmentation,
  stored: (messageId: string) => StoredMessage | undefined,
  memCellExists: (memCellId: string) => boolean,
): CheckedSegmentation {
  const fresh = new Map<string, Message>();
  for (const m of segmentation.messages) {
    if (m.sessionId !== sessionId) throw conflict(`message ${m.id} belongs to session ${m.sessionId}`);
    if (!fresh.has(m.id) && stored(m.id) === undefined) fresh.set(m.id, m);
  }
  const claimed = new Map<string, string>();
  for (const cell of segmentation.memcells) {
    if (cell.sessionId !== sessionId) throw conflict(`memcell ${cell.id} belongs to session ${cell.sessionId}`);
    if (cell.messageIds.length === 0) throw conflict(`memcell ${cell.id} has no messages`);
    if (memCellExists(cell.id)) throw conflict(`memcell ${cell.id} already exists`);
    for (const id of cell.messageIds) {
      const known = stored(id);
      if (known === undefined && !fresh.has(id)) throw conflict(`message ${id} is not stored`);
      if (known !== undefined && known.sessionId !== sessionId) throw conflict(`message ${id} belongs to another session`);
      if (known?.consumed === true || claimed.has(id)) throw conflict(`message ${id} is already in a memcell`);
      claimed.set(id, cell.id);
    }
  }
  return { fresh, claimed };
}

function conflict(message: string): ApiFailure {
  return new ApiFailure("conflict", `commitSegmentation rejected: ${message}`);
}

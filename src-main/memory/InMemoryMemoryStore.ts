/**
 * `MemoryStore` in plain maps, for the memorize core's unit tests and its
 * baseline benchmark. Same contract as the replicated store
 * (`runMemoryStoreTests`), including atomicity: a
 * commit is fully validated before the first write, so a rejected commit
 * leaves the session exactly as it was.
 */
import { ApiFailure } from "../../src-shared/ApiError";
import type { MemCell } from "./MemCell";
import { compareMessages, type Message } from "./Message";
import type { MemoryStore, Segmentation } from "./MemoryStore";

interface SessionState {
  buffer: Message[];
  memcells: MemCell[];
  /** message id → id of the memcell that consumed it. */
  consumed: Map<string, string>;
}

export class InMemoryMemoryStore implements MemoryStore {
  private readonly sessions = new Map<string, SessionState>();

  getBuffer(sessionId: string): Message[] {
    return (this.sessions.get(sessionId)?.buffer ?? []).map((m) => ({ ...m }));
  }

  consumedMessageIds(sessionId: string, messageIds: readonly string[]): Set<string> {
    const consumed = this.sessions.get(sessionId)?.consumed;
    return new Set(consumed === undefined ? [] : messageIds.filter((id) => consumed.has(id)));
  }

  listMemCells(sessionId: string): MemCell[] {
    return (this.sessions.get(sessionId)?.memcells ?? []).map(copyCell);
  }

  commitSegmentation(sessionId: string, segmentation: Segmentation): void {
    const state = this.sessions.get(sessionId) ?? { buffer: [], memcells: [], consumed: new Map<string, string>() };
    const known = new Set([...state.buffer.map((m) => m.id), ...state.consumed.keys()]);
    const fresh = new Map<string, Message>();
    for (const m of segmentation.messages) {
      if (m.sessionId !== sessionId) throw conflict(`message ${m.id} belongs to session ${m.sessionId}`);
      if (!known.has(m.id)) fresh.set(m.id, { ...m });
    }
    const existingCells = new Set(state.memcells.map((c) => c.id));
    const claimed = new Map<string, string>();
    for (const cell of segmentation.memcells) {
      if (cell.sessionId !== sessionId) throw conflict(`memcell ${cell.id} belongs to session ${cell.sessionId}`);
      if (cell.messageIds.length === 0) throw conflict(`memcell ${cell.id} has no messages`);
      if (existingCells.has(cell.id)) throw conflict(`memcell ${cell.id} already exists`);
      for (const id of cell.messageIds) {
        if (!known.has(id) && !fresh.has(id)) throw conflict(`message ${id} is not stored`);
        if (state.consumed.has(id) || claimed.has(id)) throw conflict(`message ${id} is already in a memcell`);
        claimed.set(id, cell.id);
      }
    }
    // Validated: apply everything (nothing below can throw).
    for (const [id, cellId] of claimed) state.consumed.set(id, cellId);
    state.memcells.push(...segmentation.memcells.map(copyCell));
    state.buffer = [...state.buffer, ...fresh.values()].filter((m) => !claimed.has(m.id)).sort(compareMessages);
    this.sessions.set(sessionId, state);
  }
}

function copyCell(cell: MemCell): MemCell {
  return { ...cell, messageIds: [...cell.messageIds], senderIds: [...cell.senderIds] };
}

function conflict(message: string): ApiFailure {
  return new ApiFailure("conflict", `commitSegmentation rejected: ${message}`);
}

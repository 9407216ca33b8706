/**
 * `MemoryStore` in plain maps, for the memorize core's unit tests and the
 * in-memory baseline of bench/memoryAddMessages.ts. Same contract as the
 * replicated store (`runMemoryStoreTests`), including atomicity: a commit is
 * fully validated before the first write, so a rejected commit leaves the
 * session exactly as it was. A commit costs O(batch + buffer), never
 * O(everything the session ever memorized).
 */
import { checkSegmentation } from "./checkSegmentation";
import type { MemCell } from "./MemCell";
import { compareMessages, type Message } from "./Message";
import type { MemoryStore, Segmentation } from "./MemoryStore";

interface SessionState {
  buffer: Message[];
  memcells: MemCell[];
  cellIds: Set<string>;
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
    return (this.sessions.get(sessionId)?.memcells ?? []).map((c) => ({ ...c, messageIds: [...c.messageIds], senderIds: [...c.senderIds] }));
  }

  commitSegmentation(sessionId: string, segmentation: Segmentation): void {
    const state = this.sessions.get(sessionId) ?? { buffer: [], memcells: [], cellIds: new Set<string>(), consumed: new Map<string, string>() };
    const buffered = new Set(state.buffer.map((m) => m.id));
    const { fresh, claimed } = checkSegmentation(
      sessionId,
      segmentation,
      (id) => (buffered.has(id) ? { sessionId, consumed: false } : state.consumed.has(id) ? { sessionId, consumed: true } : undefined),
      (id) => state.cellIds.has(id),
    );
    // Checked: apply everything (nothing below can throw).
    for (const [id, cellId] of claimed) state.consumed.set(id, cellId);
    for (const cell of segmentation.memcells) {
      state.cellIds.add(cell.id);
      state.memcells.push({ ...cell, messageIds: [...cell.messageIds], senderIds: [...cell.senderIds] });
    }
    state.buffer = [...state.buffer, ...[...fresh.values()].map((m) => ({ ...m }))].filter((m) => !claimed.has(m.id)).sort(compareMessages);
    this.sessions.set(sessionId, state);
  }
}

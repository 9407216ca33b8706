/**
 * The node's memory subsystem, composed once per node: the memorize pipeline
 * (`Memorizer` over a `MemoryStore`), the session registry, hide/unhide
 * marks and search. The API handlers (`api/createMemoryApi.ts`) call only
 * this class.
 *
 * Invariants:
 * - every operation on a session that does not exist fails with
 *   `ApiFailure("not_found")` before touching any state;
 * - `onChanged(sessionId)` is called after a change is committed, never
 *   before and never for a no-op (a retried payload, an empty flush);
 * - memcells come back in time order (startedAt, then id) with `hidden`
 *   computed by the one rule in `VisibilityStamp.isHidden`.
 *
 * Interim seams the lead swaps for SQLite / replication: `store`,
 * `registry`, `marks` (storage), `search` (FTS5) and `clock` (HLC).
 */
import { randomBytes } from "node:crypto";
import { ApiFailure } from "../../src-shared/ApiError";
import type { MemCell } from "../../src-shared/MemCell";
import type { MemoryHit } from "../../src-shared/MemoryHit";
import type { MemorizeResult } from "../../src-shared/memoryMethods";
import type { Message, MessageInput } from "../../src-shared/Message";
import type { Session } from "../../src-shared/Session";
import { silentLogger, type Logger } from "../node/Logger";
import type { BoundaryDetector } from "./BoundaryDetector";
import type { HideMarks } from "./HideMarks";
import { Memorizer, type MemorizeResult as CoreResult } from "./Memorizer";
import type { MemoryStore } from "./MemoryStore";
import type { MemorySearch } from "./MemorySearch";
import type { SessionRegistry } from "./SessionRegistry";
import type { VisibilityClock } from "./VisibilityClock";
import { isHidden } from "./VisibilityStamp";

export interface MemoryServiceOptions {
  store: MemoryStore;
  registry: SessionRegistry;
  marks: HideMarks;
  search: MemorySearch;
  detector: BoundaryDetector;
  clock: VisibilityClock;
  /** Whether a story exists (sessions may only point at known stories). */
  storyExists: (storyId: string) => boolean;
  /** Called after each committed change of a session. */
  onChanged: (sessionId: string) => void;
  newSessionId?: () => string;
  now?: () => number;
  logger?: Logger;
}

export class MemoryService {
  private readonly memorizer: Memorizer;
  private readonly newSessionId: () => string;
  private readonly now: () => number;
  private lastCreatedAt = 0;

  constructor(private readonly options: MemoryServiceOptions) {
    const logger = options.logger ?? silentLogger;
    this.memorizer = new Memorizer({ store: options.store, detector: options.detector, logger });
    this.newSessionId = options.newSessionId ?? (() => `ses_${randomBytes(8).toString("hex")}`);
    this.now = options.now ?? Date.now;
  }

  createSession(input: { title: string; storyId?: string | undefined }): Session {
    if (input.storyId !== undefined && !this.options.storyExists(input.storyId)) {
      throw new ApiFailure("not_found", `no story ${input.storyId}`);
    }
    // Strictly increasing per node, so "newest first" keeps creation order.
    const createdAt = Math.max(this.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    const session: Session = { id: this.newSessionId(), title: input.title, createdAt };
    if (input.storyId !== undefined) session.storyId = input.storyId;
    this.options.registry.add(session);
    this.options.onChanged(session.id);
    return session;
  }

  listSessions(filter: { storyId?: string | undefined }): Session[] {
    return this.options.registry.list(filter.storyId === undefined ? {} : { storyId: filter.storyId });
  }

  async addMessages(sessionId: string, messages: readonly MessageInput[]): Promise<MemorizeResult> {
    this.requireSession(sessionId);
    const result = await this.memorizer.addMessages(sessionId, messages);
    if (result.messageCount > 0 || result.memcells.length > 0) this.options.onChanged(sessionId);
    return toWire(result);
  }

  async flush(sessionId: string): Promise<MemorizeResult> {
    this.requireSession(sessionId);
    const result = await this.memorizer.flush(sessionId);
    if (result.memcells.length > 0) this.options.onChanged(sessionId);
    return toWire(result);
  }

  memcells(sessionId: string, includeHidden: boolean): MemCell[] {
    this.requireSession(sessionId);
    return this.options.store
      .listMemCells(sessionId)
      .map((cell) => ({ ...cell, hidden: isHidden(this.options.marks.get(cell.id)) }))
      .filter((cell) => includeHidden || !cell.hidden)
      .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  buffer(sessionId: string): Message[] {
    this.requireSession(sessionId);
    return this.options.store.getBuffer(sessionId);
  }

  search(query: string, options: { storyId?: string | undefined; limit: number }): MemoryHit[] {
    return this.options.search.search(
      query,
      options.storyId === undefined ? { limit: options.limit } : { storyId: options.storyId, limit: options.limit },
    );
  }

  hide(memCellId: string): MemCell {
    return this.mark(memCellId, "hide");
  }

  unhide(memCellId: string): MemCell {
    return this.mark(memCellId, "unhide");
  }

  private mark(memCellId: string, direction: "hide" | "unhide"): MemCell {
    const cell = this.findMemCell(memCellId);
    const { marks } = this.options;
    const before = isHidden(marks.get(memCellId));
    marks.record(memCellId, direction, this.options.clock.stamp());
    const hidden = isHidden(marks.get(memCellId));
    if (hidden !== before) this.options.onChanged(cell.sessionId);
    return { ...cell, hidden };
  }

  /**
   * Interim: a scan over every session. The SQLite store answers this with
   * one indexed lookup (memcell id → session id).
   */
  private findMemCell(memCellId: string): MemCell {
    for (const session of this.options.registry.list()) {
      const cell = this.options.store.listMemCells(session.id).find((c) => c.id === memCellId);
      if (cell !== undefined) return cell;
    }
    throw new ApiFailure("not_found", `no memcell ${memCellId}`);
  }

  private requireSession(sessionId: string): Session {
    const session = this.options.registry.get(sessionId);
    if (session === undefined) throw new ApiFailure("not_found", `no session ${sessionId}`);
    return session;
  }
}

function toWire(result: CoreResult): MemorizeResult {
  return {
    status: result.status,
    messageCount: result.messageCount,
    bufferedCount: result.bufferedCount,
    memcellIds: result.memcells.map((c) => c.id),
  };
}

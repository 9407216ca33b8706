/**
 * The node's memory subsystem: sessions, the memorize pipeline, memcell
 * visibility and search, over the replicated tables. The API handlers
 * (`api/createMemoryApi.ts`) call only this class.
 *
 * Who segments (cuts a session's messages into memcells): ONE node per
 * session, its segmenter — the node that created it, until another takes
 * over. Any node may add messages; on a node that is not the segmenter they
 * are stored and replicated but not cut, and the segmenter memorizes them
 * when they reach it (`onRemoteMessages`). `session/flush` on another node
 * is the manual takeover: it makes that node the segmenter (a LWW write, like
 * a story claim) and then flushes. The automatic one: when the segmenter has
 * written nothing to the session for `segmenterTtlMs` of change time while
 * others added messages, the rule in `segmenterTakeover` names one successor,
 * and that node writes the same op and memorizes (checked after each local
 * add and each applied remote change). If two nodes segment concurrently anyway
 * (a takeover during a partition), `MemoryReducer`'s effective-memcell rule
 * keeps every replica's memcells disjoint and identical.
 *
 * Invariants:
 * - every operation on a session that does not exist fails with
 *   `ApiFailure("not_found")` before touching any state;
 * - every write is a signed change; events (`session/changed`) are emitted
 *   by the node from the reducer after commit, for local and remote changes
 *   alike, never for a no-op (a retried payload, an empty flush);
 * - memcells come back in time order (startedAt, then id).
 */
import { randomBytes } from "node:crypto";
import { ApiFailure } from "../../src-shared/ApiError";
import type { MemCell } from "../../src-shared/MemCell";
import type { MemoryHit } from "../../src-shared/MemoryHit";
import type { MemorizeResult } from "../../src-shared/memoryMethods";
import type { Message, MessageInput } from "../../src-shared/Message";
import type { Session } from "../../src-shared/Session";
import type { Replica } from "../crdt/Replica";
import { silentLogger, type Logger } from "../base/Logger";
import type { BoundaryDetector } from "./BoundaryDetector";
import { Memorizer, type MemorizeResult as CoreResult } from "./Memorizer";
import type { MemoryTables, SessionRecord } from "./MemoryTables";
import { ReplicatedMemoryStore, toMemCell } from "./ReplicatedMemoryStore";
import { SEGMENTER_TTL_MS, segmenterSuccessor } from "./segmenterTakeover";

export interface MemoryServiceOptions {
  replica: Replica;
  tables: MemoryTables;
  detector: BoundaryDetector;
  /** Whether a story exists (sessions may only point at known stories). */
  storyExists: (storyId: string) => boolean;
  newSessionId?: () => string;
  now?: () => number;
  logger?: Logger;
  /** Silence (in change time) after which another member takes over segmenting; default SEGMENTER_TTL_MS. */
  segmenterTtlMs?: number;
}

export class MemoryService {
  private readonly memorizer: Memorizer;
  private readonly replica: Replica;
  private readonly tables: MemoryTables;
  private readonly newSessionId: () => string;
  private readonly now: () => number;
  private readonly logger: Logger;
  private lastCreatedAt = 0;

  constructor(private readonly options: MemoryServiceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.replica = options.replica;
    this.tables = options.tables;
    const store = new ReplicatedMemoryStore(options.replica, options.tables);
    this.memorizer = new Memorizer({ store, detector: options.detector, logger: this.logger });
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
    const id = this.newSessionId();
    this.replica.commit([{ t: "session", session: id, title: input.title, storyId: input.storyId ?? null, createdAt }]);
    return this.requireSession(id);
  }

  listSessions(filter: { storyId?: string | undefined }): Session[] {
    return this.tables.listSessions(filter.storyId).map(toSession);
  }

  async addMessages(sessionId: string, messages: readonly MessageInput[]): Promise<MemorizeResult> {
    const session = this.requireRecord(sessionId);
    const segment = session.segmenter === this.replica.author;
    const added = await this.memorizer.addMessages(sessionId, messages, { segment });
    if (segment || !this.takeOverIfDue(sessionId)) return toWire(added);
    // These messages made the segmenter stale and this node its successor: memorize now.
    const cut = await this.memorizer.resegment(sessionId);
    return toWire({ ...cut, messageCount: added.messageCount });
  }

  async flush(sessionId: string): Promise<MemorizeResult> {
    const session = this.requireRecord(sessionId);
    if (session.segmenter !== this.replica.author) {
      this.replica.commit([{ t: "segmenter", session: sessionId }]);
      this.logger.info("took over segmenting a session", { sessionId, from: session.segmenter });
    }
    return toWire(await this.memorizer.flush(sessionId));
  }

  /**
   * Messages of these sessions arrived from peers: the ones this node
   * segments are memorized now (in the background; a failing detector is
   * logged and the messages stay buffered for the next call).
   */
  onRemoteMessages(sessionIds: Iterable<string>): void {
    for (const sessionId of sessionIds) {
      this.memorizeFromPeers(sessionId).catch((err: unknown) => {
        this.logger.warn("memorizing messages from peers failed; they stay buffered", { sessionId, err });
      });
    }
  }

  private async memorizeFromPeers(sessionId: string): Promise<void> {
    // Out of the applied-listener first: a takeover commits a change of its own.
    await Promise.resolve();
    if (this.tables.getSession(sessionId)?.segmenter !== this.replica.author && !this.takeOverIfDue(sessionId)) return;
    await this.memorizer.resegment(sessionId);
  }

  /**
   * The automatic takeover (see the header and `segmenterTakeover`): when the
   * rule names this node, write the `segmenter` op. Synchronous from check to
   * commit, so one node never writes it twice for one staleness.
   */
  private takeOverIfDue(sessionId: string): boolean {
    const session = this.tables.getSession(sessionId);
    if (session === undefined || session.segmenter === this.replica.author) return false;
    const successor = segmenterSuccessor(session, this.tables.sessionActivity(sessionId), this.options.segmenterTtlMs ?? SEGMENTER_TTL_MS);
    if (successor !== this.replica.author) return false;
    this.replica.commit([{ t: "segmenter", session: sessionId }]);
    this.logger.info("took over segmenting a silent session", { sessionId, from: session.segmenter });
    return true;
  }

  memcells(sessionId: string, includeHidden: boolean): MemCell[] {
    this.requireRecord(sessionId);
    return this.tables
      .effectiveMemCells(sessionId)
      .map(toMemCell)
      .filter((cell) => includeHidden || !cell.hidden);
  }

  buffer(sessionId: string): Message[] {
    this.requireRecord(sessionId);
    return this.tables.bufferedMessages(sessionId);
  }

  search(query: string, options: { storyId?: string | undefined; limit: number }): MemoryHit[] {
    return this.tables.search(query, options.storyId === undefined ? { limit: options.limit } : { storyId: options.storyId, limit: options.limit });
  }

  hide(memCellId: string): MemCell {
    return this.mark(memCellId, "cellHide");
  }

  unhide(memCellId: string): MemCell {
    return this.mark(memCellId, "cellUnhide");
  }

  /** The change's HLC is the mark's stamp: a hide beats any unhide not strictly later. */
  private mark(memCellId: string, t: "cellHide" | "cellUnhide"): MemCell {
    if (this.tables.getMemCell(memCellId) === undefined) throw new ApiFailure("not_found", `no memcell ${memCellId}`);
    this.replica.commit([{ t, cell: memCellId }]);
    return toMemCell(this.tables.getMemCell(memCellId)!);
  }

  private requireRecord(sessionId: string): SessionRecord {
    const session = this.tables.getSession(sessionId);
    if (session === undefined) throw new ApiFailure("not_found", `no session ${sessionId}`);
    return session;
  }

  private requireSession(sessionId: string): Session {
    return toSession(this.requireRecord(sessionId));
  }
}

function toSession(rec: SessionRecord): Session {
  const session: Session = { id: rec.id, title: rec.title, createdAt: rec.createdAt };
  if (rec.storyId !== null) session.storyId = rec.storyId;
  return session;
}

function toWire(result: CoreResult): MemorizeResult {
  return {
    status: result.status,
    messageCount: result.messageCount,
    bufferedCount: result.bufferedCount,
    memcellIds: result.memcells.map((c) => c.id),
  };
}

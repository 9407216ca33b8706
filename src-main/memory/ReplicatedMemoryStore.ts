/**
 * The `MemoryStore` a node runs: a commit becomes signed changes on the
 * replica (one `msg` op per new message, one `cell` op per memcell), and
 * reads come from the tables `MemoryReducer` folds those changes into. So
 * local memorize and changes from peers go through the same reducer, and
 * the buffer a replica shows is exactly what its changes say.
 *
 * A commit too large for one change (a change must fit a sync frame) is
 * split into several, committed in one transaction (`Replica.commitMany`):
 * still all-or-nothing. It is validated before any change is made, so a
 * rejected commit (`ApiFailure("conflict")`) writes nothing.
 */
import { Buffer } from "node:buffer";
import { ApiFailure } from "../../src-shared/ApiError";
import { MAX_OPS_PER_CHANGE, MEMCELL_LIMITS, type Op } from "../crdt/Change";
import type { Replica } from "../crdt/Replica";
import type { MemCell } from "./MemCell";
import { checkSegmentation } from "./checkSegmentation";
import { messageId, type Message } from "./Message";
import type { MemoryStore, Segmentation } from "./MemoryStore";
import { isCellHidden, type MemCellRecord, type MemoryTables } from "./MemoryTables";

/** Encoded ops per change: well under MAX_CHANGE_BYTES, leaving room for the change's own fields. */
const CHANGE_BUDGET_BYTES = 512 * 1024;

export class ReplicatedMemoryStore implements MemoryStore {
  constructor(
    private readonly replica: Replica,
    private readonly tables: MemoryTables,
  ) {}

  getBuffer(sessionId: string): Message[] {
    return this.tables.bufferedMessages(sessionId);
  }

  consumedMessageIds(sessionId: string, messageIds: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const id of messageIds) {
      const rec = this.tables.getMessage(id);
      if (rec !== undefined && rec.message.sessionId === sessionId && rec.cell !== null) out.add(id);
    }
    return out;
  }

  listMemCells(sessionId: string): MemCell[] {
    return this.tables.effectiveMemCells(sessionId).map(toMemCell);
  }

  commitSegmentation(sessionId: string, segmentation: Segmentation): void {
    const { fresh } = checkSegmentation(
      sessionId,
      segmentation,
      (id) => {
        const rec = this.tables.getMessage(id);
        return rec === undefined ? undefined : { sessionId: rec.message.sessionId, consumed: rec.cell !== null };
      },
      (id) => this.tables.getMemCell(id) !== undefined,
    );
    const ops: Op[] = [...fresh.values()].map((m) => ({
      t: "msg",
      session: sessionId,
      id: m.id,
      sender: m.senderId,
      role: m.role,
      ts: m.timestamp,
      content: m.content,
      occ: occurrenceOf(m),
    }));
    for (const cell of segmentation.memcells) {
      ops.push({
        t: "cell",
        session: sessionId,
        messages: [...cell.messageIds],
        title: cell.title.slice(0, MEMCELL_LIMITS.title),
        content: cell.content.slice(0, MEMCELL_LIMITS.content),
        summary: cell.summary === undefined ? null : cell.summary.slice(0, MEMCELL_LIMITS.summary),
      });
    }
    if (ops.length > 0) this.replica.commitMany(chunkOps(ops));
  }
}

/** Packs ops, in order, into changes that each stay under the byte budget and the op limit. */
export function chunkOps(ops: readonly Op[]): Op[][] {
  const chunks: Op[][] = [];
  let current: Op[] = [];
  let bytes = 0;
  for (const op of ops) {
    const size = Buffer.byteLength(JSON.stringify(op));
    if (current.length > 0 && (bytes + size > CHANGE_BUDGET_BYTES || current.length >= MAX_OPS_PER_CHANGE)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(op);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The `occurrence` the id rule hashed in (peers re-derive the id from the
 * op, so it travels). Almost always 0; identical messages in one batch count up.
 */
function occurrenceOf(m: Message): number {
  const input = { senderId: m.senderId, role: m.role, timestamp: m.timestamp, content: m.content };
  for (let occ = 0; occ <= MAX_OPS_PER_CHANGE; occ++) {
    if (messageId(m.sessionId, input, occ) === m.id) return occ;
  }
  throw new ApiFailure("invalid_input", `message ${m.id} does not follow the id rule`);
}

export function toMemCell(rec: MemCellRecord): MemCell {
  const cell: MemCell = {
    id: rec.id,
    sessionId: rec.sessionId,
    title: rec.title,
    content: rec.content,
    messageIds: [...rec.messageIds],
    senderIds: [...rec.senderIds],
    startedAt: rec.startedAt,
    endedAt: rec.endedAt,
    hidden: isCellHidden(rec),
  };
  if (rec.summary !== null) cell.summary = rec.summary;
  return cell;
}

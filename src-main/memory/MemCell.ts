/**
 * A memcell: one coherent episode of a session, built from a contiguous run
 * of its messages (in (timestamp, id) order).
 *
 * Invariants:
 * - `id` is "c_" + first 32 hex chars of sha256 over the canonical JSON of
 *   `messageIds`, so the same segmentation on two replicas yields the same id
 *   (message ids already embed the session id);
 * - `messageIds` is non-empty and each id appears in exactly one memcell of
 *   its session, never also in the buffer (enforced by `MemoryStore`);
 * - `senderIds` are the distinct senders in first-appearance order;
 * - `startedAt`/`endedAt` are the first and last message timestamps.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../crdt/canonicalJson";
import type { Episode } from "./BoundaryDetector";
import type { MemCell } from "../../src-shared/MemCell";
import type { Message } from "./Message";

export { memCellSchema, type MemCell } from "../../src-shared/MemCell";

export function memCellId(messageIds: readonly string[]): string {
  return "c_" + createHash("sha256").update(canonicalJson([...messageIds])).digest("hex").slice(0, 32);
}

export function buildMemCell(sessionId: string, messages: readonly Message[], episode: Episode): MemCell {
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (first === undefined || last === undefined) throw new Error("a memcell needs at least one message");
  const messageIds = messages.map((m) => m.id);
  const senderIds = [...new Set(messages.map((m) => m.senderId))];
  const cell: MemCell = {
    id: memCellId(messageIds),
    sessionId,
    title: episode.title,
    content: episode.content,
    messageIds,
    senderIds,
    startedAt: first.timestamp,
    endedAt: last.timestamp,
    hidden: false,
  };
  if (episode.summary !== undefined) cell.summary = episode.summary;
  return cell;
}

/**
 * Messages of a session and their deterministic ids.
 *
 * Id rule (documented contract — replicas and retries depend on it):
 *   id = "m_" + first 32 hex chars of sha256(canonicalJson(
 *          [sessionId, senderId, role, timestamp, content, occurrence]))
 * where `occurrence` is how many EARLIER messages in the same batch have the
 * identical (senderId, role, timestamp, content) tuple (0 for the first).
 *
 * Why the occurrence and not the plain position in the batch: the same payload
 * sent twice yields the same ids (a retried request deduplicates), a retry
 * that re-sends a superset of an earlier batch (common after a timeout)
 * still deduplicates the overlap, and two genuinely identical messages in one
 * batch ("ok", "ok" in the same millisecond) still get distinct ids.
 * The session id is hashed in, so ids are unique across sessions.
 *
 * Ordering: messages are always kept sorted by (timestamp, id) — `compareMessages`.
 * The schemas live in `src-shared/Message.ts` (the renderer validates with them).
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../crdt/canonicalJson";
import type { Message, MessageInput } from "../../src-shared/Message";

export {
  messageIdSchema,
  messageInputSchema,
  messageRoleSchema,
  messageSchema,
  type Message,
  type MessageInput,
  type MessageRole,
} from "../../src-shared/Message";

export function messageId(sessionId: string, input: MessageInput, occurrence: number): string {
  const key = canonicalJson([sessionId, input.senderId, input.role, input.timestamp, input.content, occurrence]);
  return "m_" + createHash("sha256").update(key).digest("hex").slice(0, 32);
}

/** Assigns ids to one batch (see the id rule in the header). */
export function toMessages(sessionId: string, inputs: readonly MessageInput[]): Message[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const tuple = canonicalJson([input.senderId, input.role, input.timestamp, input.content]);
    const occurrence = seen.get(tuple) ?? 0;
    seen.set(tuple, occurrence + 1);
    return {
      id: messageId(sessionId, input, occurrence),
      sessionId,
      senderId: input.senderId,
      role: input.role,
      timestamp: input.timestamp,
      content: input.content,
    };
  });
}

/** Total order: timestamp, then id (ids are unique, so never 0 for distinct messages). */
export function compareMessages(a: Message, b: Message): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

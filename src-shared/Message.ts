/**
 * The wire shape of a session message. Ids are derived by the node from the
 * content (see `src-main/memory/Message.ts` for the id rule), never chosen by
 * the caller, so a retried request deduplicates.
 */
import { z } from "zod";
import { sessionIdSchema } from "./Session";

export const messageRoleSchema = z.enum(["user", "assistant", "system", "tool"]);
export type MessageRole = z.infer<typeof messageRoleSchema>;

/** What a caller sends: everything but the ids, which the node derives. */
export const messageInputSchema = z.object({
  senderId: z.string().min(1).max(256),
  role: messageRoleSchema,
  /** Unix epoch milliseconds. */
  timestamp: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  content: z.string().max(1_000_000),
});
export type MessageInput = z.infer<typeof messageInputSchema>;

export const messageIdSchema = z.string().regex(/^m_[0-9a-f]{32}$/);

export const messageSchema = messageInputSchema.extend({
  id: messageIdSchema,
  sessionId: sessionIdSchema,
});
export type Message = z.infer<typeof messageSchema>;

/**
 * One ranked result of `memory/search`: a memcell (matched on its title, its
 * content, or the full text of any of its messages) or a message still in a
 * session's pending buffer. `score` is only comparable within one answer;
 * the ranking function is an implementation detail of the node (FTS5 bm25).
 * Words match in their forms (stemming: "reconnecting" finds "reconnect").
 */
import { z } from "zod";
import { sessionIdSchema } from "./Session";

export const memoryHitSchema = z.object({
  kind: z.enum(["memcell", "message"]),
  /** The memcell id or the message id. */
  id: z.string(),
  sessionId: sessionIdSchema,
  sessionTitle: z.string(),
  storyId: z.string().optional(),
  /** The memcell's title, or "sender: first line" for a message. */
  title: z.string(),
  /** A short excerpt around the first matching term. */
  snippet: z.string(),
  /**
   * Where the matched words are in `snippet`: [start, end) in UTF-16 code
   * units, in order, not overlapping (what the UI marks). Empty when the
   * match is in the title only.
   */
  matches: z
    .array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }))
    .max(100)
    .optional(),
  /**
   * For a memcell hit whose words were found in one of its messages (and
   * not in its title or content): that message, and `snippet` is cut from it.
   */
  messageId: z.string().optional(),
  score: z.number(),
  /** The memcell's end or the message's timestamp (epoch ms). */
  timestamp: z.number().int(),
});

export type MemoryHit = z.infer<typeof memoryHitSchema>;

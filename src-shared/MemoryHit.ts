/**
 * One ranked result of `memory/search`: a memcell (matched on its title and
 * content) or a message still in a session's pending buffer. `score` is only
 * comparable within one answer; the ranking function is an implementation
 * detail of the node (term frequency now, SQLite FTS5 later).
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
  score: z.number(),
  /** The memcell's end or the message's timestamp (epoch ms). */
  timestamp: z.number().int(),
});

export type MemoryHit = z.infer<typeof memoryHitSchema>;

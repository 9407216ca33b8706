/**
 * A work session: the unit whose messages are memorized together. Every
 * message and memcell belongs to exactly one session; the per-session lock
 * and the pending buffer are keyed by `Session.id`.
 *
 * Ids arrive from callers (API, replication), so they are validated here:
 * a bounded, non-empty string is all the memory core relies on.
 */
import { z } from "zod";

export const sessionIdSchema = z.string().min(1).max(200);

export const sessionSchema = z.object({
  id: sessionIdSchema,
  title: z.string().max(500),
  storyId: z.string().min(1).max(200).optional(),
  /** Unix epoch milliseconds. */
  createdAt: z.number().int().nonnegative(),
});

export type Session = z.infer<typeof sessionSchema>;

/**
 * The session/memory part of the API contract (spread into `methods` in
 * `contract.ts`). Inputs are bounded so one call cannot make the node do
 * unbounded work: at most 1,000 messages per `session/addMessages`, each at
 * most 64 KiB (65,536 UTF-16 code units) of content, and search queries of
 * at most 500 characters returning at most 100 hits. The HTTP host's body
 * limit (1 MiB) applies on top of these.
 */
import { z } from "zod";
import { memCellIdSchema, memCellSchema } from "./MemCell";
import { memoryHitSchema } from "./MemoryHit";
import { messageInputSchema, messageSchema } from "./Message";
import { sessionIdSchema, sessionSchema } from "./Session";
import { storyIdSchema } from "./Story";

export const MAX_MESSAGES_PER_CALL = 1_000;
export const MAX_MESSAGE_CONTENT = 64 * 1024;
export const MAX_SEARCH_HITS = 100;

const bySession = z.object({ sessionId: sessionIdSchema }).strict();
const byMemCell = z.object({ id: memCellIdSchema }).strict();

export const memorizeResultSchema = z.object({
  /** "extracted" when the call produced at least one memcell. */
  status: z.enum(["accumulated", "extracted"]),
  /** New messages accepted (already-known ids are not counted). */
  messageCount: z.number().int().nonnegative(),
  /** Messages still pending in the session's buffer after the call. */
  bufferedCount: z.number().int().nonnegative(),
  /** Memcells this call created. */
  memcellIds: z.array(memCellIdSchema),
});

export type MemorizeResult = z.infer<typeof memorizeResultSchema>;

export const memoryMethods = {
  "session/create": {
    input: z
      .object({
        title: z.string().trim().min(1, "a session needs a title").max(500),
        storyId: storyIdSchema.optional(),
      })
      .strict(),
    output: sessionSchema,
  },
  "session/list": {
    /** Newest first; only the story's sessions when `storyId` is given. */
    input: z.object({ storyId: storyIdSchema.optional() }).strict(),
    output: z.array(sessionSchema),
  },
  "session/addMessages": {
    input: z
      .object({
        sessionId: sessionIdSchema,
        messages: z
          .array(messageInputSchema.extend({ content: z.string().max(MAX_MESSAGE_CONTENT) }).strict())
          .min(1)
          .max(MAX_MESSAGES_PER_CALL),
      })
      .strict(),
    output: memorizeResultSchema,
  },
  "session/flush": {
    /** Turns the whole pending buffer into memcells (e.g. the session ended). */
    input: bySession,
    output: memorizeResultSchema,
  },
  "session/memcells": {
    /** The session's memcells in time order (startedAt, then id). */
    input: z.object({ sessionId: sessionIdSchema, includeHidden: z.boolean().optional() }).strict(),
    output: z.array(memCellSchema),
  },
  "session/buffer": {
    /** Messages not yet memorized, sorted by (timestamp, id). */
    input: bySession,
    output: z.array(messageSchema),
  },
  "memory/search": {
    input: z
      .object({
        query: z.string().trim().min(1, "type something to search for").max(500),
        storyId: storyIdSchema.optional(),
        limit: z.number().int().min(1).max(MAX_SEARCH_HITS).optional(),
      })
      .strict(),
    output: z.array(memoryHitSchema),
  },
  "memcell/hide": { input: byMemCell, output: memCellSchema },
  "memcell/unhide": { input: byMemCell, output: memCellSchema },
} as const;

export const memoryEvents = {
  "session/changed": z.object({
    /** A session whose sessions list entry, memcells or buffer changed. */
    sessionId: sessionIdSchema,
  }),
} as const;

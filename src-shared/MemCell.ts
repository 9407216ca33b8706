/**
 * The wire shape of a memcell: one coherent episode of a session, built from
 * a contiguous run of its messages in (timestamp, id) order. How ids are
 * derived and which invariants hold lives with the builder in
 * `src-main/memory/MemCell.ts`.
 */
import { z } from "zod";
import { messageIdSchema } from "./Message";
import { sessionIdSchema } from "./Session";

export const memCellIdSchema = z.string().regex(/^c_[0-9a-f]{32}$/);

export const memCellSchema = z.object({
  id: memCellIdSchema,
  sessionId: sessionIdSchema,
  title: z.string(),
  content: z.string(),
  summary: z.string().optional(),
  messageIds: z.array(messageIdSchema).min(1),
  senderIds: z.array(z.string()),
  startedAt: z.number().int(),
  endedAt: z.number().int(),
  hidden: z.boolean(),
});

export type MemCell = z.infer<typeof memCellSchema>;

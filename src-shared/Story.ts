/**
 * A story as every host and the renderer see it: the materialized view of the
 * pipeline document, never its internal CRDT metadata.
 */
import { z } from "zod";
import { stageIdSchema } from "./stages";

/** Story ids are opaque strings chosen by the node that creates the story. */
export const storyIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "story ids use letters, digits and _ . : -");

export const storySchema = z.object({
  id: storyIdSchema,
  name: z.string(),
  stage: stageIdSchema,
  /** Fractional index: orders stories within a stage; ties break by id. */
  rank: z.string(),
  agent: z.string().nullable(),
  retryCount: z.number().int(),
  blocked: z.boolean(),
  dependsOn: z.array(storyIdSchema),
  claimedBy: z.string().nullable(),
  /** Milliseconds since the epoch, or null when unclaimed. */
  claimedAt: z.number().nullable(),
  hidden: z.boolean(),
});

export type Story = z.infer<typeof storySchema>;

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
  /** Some field holds concurrent values that lost and nobody resolved yet (see `story/get`). */
  conflicted: z.boolean(),
});

export type Story = z.infer<typeof storySchema>;

/** A field whose concurrent writes disagree. */
export const conflictFieldSchema = z.enum(["name", "description", "agent", "blocked", "stage"]);

export const storyConflictSchema = z.object({
  field: conflictFieldSchema,
  /** The winning value first. `author` is the writer's node key (hex); `at` ms since the epoch. */
  values: z.array(z.object({ value: z.union([z.string(), z.boolean(), z.null()]), author: z.string(), at: z.number() })),
});

export type StoryConflict = z.infer<typeof storyConflictSchema>;

/** Max description size (UTF-8 bytes). */
export const MAX_DESCRIPTION_BYTES = 64 * 1024;

/** A story's plain-text description: at most 64 KiB of UTF-8 (checked by length first, so a huge string is not encoded). */
export const descriptionSchema = z
  .string()
  .max(MAX_DESCRIPTION_BYTES)
  .refine((s) => new TextEncoder().encode(s).length <= MAX_DESCRIPTION_BYTES, `a description holds at most ${MAX_DESCRIPTION_BYTES} bytes of UTF-8`);

/** `story/get`: the story with its description and its open conflicts. */
export const storyDetailSchema = storySchema.extend({
  description: z.string(),
  conflicts: z.array(storyConflictSchema),
});

export type StoryDetail = z.infer<typeof storyDetailSchema>;

export const historyEntrySchema = z.object({
  changeId: z.string(),
  /** The author's node key (hex). */
  author: z.string(),
  /** Effective clock wall time, ms since the epoch. */
  at: z.number(),
  /** What the change did to this story, e.g. "moved QA → Merge". */
  summary: z.string(),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;

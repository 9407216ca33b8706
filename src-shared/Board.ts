import { z } from "zod";
import { stageIdSchema } from "./stages";
import { storySchema } from "./Story";

export const stageSchema = z.object({ id: stageIdSchema, name: z.string(), limit: z.number().int().nullable() });

export type Stage = z.infer<typeof stageSchema>;

export const boardSchema = z.object({
  /** `limit`: the stage's WIP limit (replicated), or null for none. */
  stages: z.array(stageSchema),
  /** Sorted by stage order, then rank, then id. */
  stories: z.array(storySchema),
});

export type Board = z.infer<typeof boardSchema>;

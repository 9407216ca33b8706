import { z } from "zod";
import { stageIdSchema } from "./stages";
import { storySchema } from "./Story";

export const boardSchema = z.object({
  stages: z.array(z.object({ id: stageIdSchema, name: z.string() })),
  /** Sorted by stage order, then rank, then id. */
  stories: z.array(storySchema),
});

export type Board = z.infer<typeof boardSchema>;

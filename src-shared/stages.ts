/**
 * The six pipeline stages, in board order. Ids are stable wire values
 * (they travel in changes and over the API); names are display labels.
 */
import { z } from "zod";

export const STAGES = [
  { id: "1_backlog", name: "Backlog" },
  { id: "2_current", name: "Current" },
  { id: "3_qa", name: "QA" },
  { id: "4_merge", name: "Merge" },
  { id: "5_done", name: "Done" },
  { id: "6_archived", name: "Archived" },
] as const;

export type StageId = (typeof STAGES)[number]["id"];

const stageIds = STAGES.map((s) => s.id) as [StageId, ...StageId[]];

export const stageIdSchema = z.enum(stageIds);

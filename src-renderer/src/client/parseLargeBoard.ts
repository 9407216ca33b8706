/**
 * Validates a large `board/get` result a slice of stories at a time, ending
 * the task between slices: one pass over 5,000 stories blocks the page for
 * over 100 ms on a slow machine. Same schema, same verdict as
 * `parseOutput("board/get", …)`: every story is checked by `storySchema`,
 * and anything malformed is an `ApiFailure("internal")`.
 */
import { ApiFailure } from "../../../src-shared/ApiError";
import { boardSchema, type Board } from "../../../src-shared/Board";
import { storySchema, type Story } from "../../../src-shared/Story";
import { yieldToBrowser } from "../lib/yieldToBrowser";

const SLICE = 500;

export async function parseLargeBoard(value: unknown): Promise<Board> {
  const invalid = () => new ApiFailure("internal", "the host sent an invalid result for board/get");
  if (typeof value !== "object" || value === null || !Array.isArray((value as { stories?: unknown }).stories)) throw invalid();
  const raw = (value as { stories: unknown[] }).stories;
  const head = boardSchema.safeParse({ ...value, stories: [] });
  if (!head.success) throw invalid();
  const stories: Story[] = [];
  for (let i = 0; i < raw.length; i += SLICE) {
    if (i > 0) await yieldToBrowser();
    for (const item of raw.slice(i, i + SLICE)) {
      const parsed = storySchema.safeParse(item);
      if (!parsed.success) throw invalid();
      stories.push(parsed.data);
    }
  }
  return { ...head.data, stories };
}

/**
 * The command palette's lists, pure. Step one: the stories whose name,
 * agent or id match the query (hidden ones too), at most `limit`, best
 * first: a name that starts with the query, then the rest in board order.
 * Step two: what can be done to the chosen story.
 */
import type { Board } from "../../../src-shared/Board";
import type { StageId } from "../../../src-shared/stages";
import type { Story } from "../../../src-shared/Story";
import { NO_FILTER, storyMatches } from "./boardFilter";

export type PaletteCommand =
  | { kind: "open"; label: string }
  | { kind: "move"; label: string; stage: StageId }
  | { kind: "claim" | "release" | "hide" | "unhide"; label: string };

export function matchingStories(board: Board, query: string, limit = 50): Story[] {
  const q = query.trim().toLowerCase();
  const filter = { ...NO_FILTER, text: q, showHidden: true };
  const first: Story[] = [];
  const rest: Story[] = [];
  for (const s of board.stories) {
    if (!storyMatches(s, filter)) continue;
    (q && s.name.toLowerCase().startsWith(q) ? first : rest).push(s);
    if (first.length >= limit) break;
  }
  return [...first, ...rest].slice(0, limit);
}

export function commandsFor(board: Board, story: Story): PaletteCommand[] {
  const out: PaletteCommand[] = [{ kind: "open", label: "Open its panel" }];
  for (const stage of board.stages) {
    if (stage.id !== story.stage) out.push({ kind: "move", label: `Move to ${stage.name}`, stage: stage.id });
  }
  out.push(story.claimedBy === null ? { kind: "claim", label: "Claim" } : { kind: "release", label: `Release (claimed by ${story.claimedBy})` });
  out.push(story.hidden ? { kind: "unhide", label: "Unhide" } : { kind: "hide", label: "Hide" });
  return out;
}

import { describe, expect, it } from "vitest";
import { commandsFor, matchingStories } from "./paletteItems";
import { testBoard } from "../testing/testBoard";

const board = testBoard({ "1_backlog": ["deploy-x", "api-deploy", "cache"], "3_qa": ["deploy-y"] }, ["deploy-y"]);

describe("command palette lists", () => {
  it("puts names starting with the query first, includes hidden stories, caps the list", () => {
    expect(matchingStories(board, "deploy").map((s) => s.id)).toEqual(["deploy-x", "deploy-y", "api-deploy"]);
    expect(matchingStories(board, "").map((s) => s.id)).toEqual(["deploy-x", "api-deploy", "cache", "deploy-y"]);
    expect(matchingStories(board, "deploy", 2)).toHaveLength(2);
    expect(matchingStories(board, "nothing")).toEqual([]);
  });
  it("offers open, a move to every other stage, claim or release, hide or unhide", () => {
    const visible = board.stories[0]!;
    const labels = commandsFor(board, visible).map((c) => c.label);
    expect(labels).toEqual(["Open its panel", "Move to Current", "Move to QA", "Move to Merge", "Move to Done", "Move to Archived", "Claim", "Hide"]);
    const hidden = commandsFor(board, { ...board.stories[3]!, claimedBy: "ann" }).map((c) => c.label);
    expect(hidden).toContain("Unhide");
    expect(hidden).toContain("Release (claimed by ann)");
    expect(hidden).toContain("Move to Backlog");
    expect(hidden).not.toContain("Move to QA");
  });
});

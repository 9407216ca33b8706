import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import { boardSchema } from "../../../src-shared/Board";
import { testBoard } from "../testing/testBoard";
import { parseLargeBoard } from "./parseLargeBoard";

const big = testBoard({ "1_backlog": Array.from({ length: 1200 }, (_, i) => `s${i}`) });

describe("parseLargeBoard", () => {
  it("gives what the board schema gives, across slices", async () => {
    expect(await parseLargeBoard(big)).toEqual(boardSchema.parse(big));
  });
  it("refuses a malformed story anywhere in the list, and a malformed board", async () => {
    const bad = { ...big, stories: big.stories.map((s, i) => (i === 1100 ? { ...s, stage: "9_nowhere" } : s)) };
    await expect(parseLargeBoard(bad)).rejects.toBeInstanceOf(ApiFailure);
    await expect(parseLargeBoard({ ...big, stages: "x" })).rejects.toBeInstanceOf(ApiFailure);
    await expect(parseLargeBoard({ stories: "x" })).rejects.toBeInstanceOf(ApiFailure);
    await expect(parseLargeBoard(null)).rejects.toBeInstanceOf(ApiFailure);
  });
});

import { describe, expect, it } from "vitest";
import { testNode } from "../../test/support/crdt/testKit";

describe("story history", () => {
  it("lists a story's changes newest first: who, when, what (with the stage a move left)", () => {
    const a = testNode(0);
    const s = a.board.create({ name: "H", stage: "3_qa", agent: null });
    a.clock.t = 2_000;
    a.board.move(s.id, "4_merge");
    a.clock.t = 3_000;
    a.board.update(s.id, { name: "H2", description: "why" });
    a.board.hide(s.id);
    const { entries } = a.board.history(s.id);
    expect(entries.map((e) => e.summary)).toEqual(["hid", "renamed 'H' → 'H2', edited the description", "moved QA → Merge", "created 'H' in QA"]);
    expect(entries[2]).toMatchObject({ author: a.identity.publicKey, at: 2_000 });
    expect(new Set(entries.map((e) => e.changeId)).size).toBe(4);
  });

  it("keeps only the latest 64 changes per story", () => {
    const a = testNode(0);
    const s = a.board.create({ name: "H", stage: "1_backlog", agent: null });
    for (let i = 0; i < 80; i++) a.board.update(s.id, { name: `n${i}` });
    const { entries } = a.board.history(s.id);
    expect(entries).toHaveLength(64);
    expect(entries[0]!.summary).toBe("renamed 'n78' → 'n79'");
    expect(entries[63]!.summary).toBe("renamed to 'n16'");
  });
});

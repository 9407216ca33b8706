/**
 * Undo/redo as inverse changes: the undo is a signed change that reaches the
 * other replicas; a field someone else changed since is skipped (and the
 * summary says so); an undo and a concurrent remote edit of another field
 * commute (both survive, in any delivery order).
 */
import { describe, expect, it } from "vitest";
import { identityFromSeed } from "./Identity";
import { testNode, type TestNode } from "../../test/support/crdt/testKit";

const pair = (): { a: TestNode; b: TestNode; log: Uint8Array[] } => {
  const a = testNode(0, { identity: identityFromSeed(new Uint8Array(32).fill(0x70)) });
  const b = testNode(1, { identity: identityFromSeed(new Uint8Array(32).fill(0x71)) });
  const log: Uint8Array[] = [];
  for (const n of [a, b]) n.replica.onApplied((e) => e.local && log.push(...e.changes));
  return { a, b, log };
};

describe("undo and redo", () => {
  it("undoes a rename by writing the old name back, and the undo reaches the other replica; redo writes it again", () => {
    const { a, b, log } = pair();
    const s = a.board.create({ name: "Old", stage: "1_backlog", agent: null });
    a.board.update(s.id, { name: "New" });
    b.replica.receiveBatch(log);
    expect(b.board.get(s.id).name).toBe("New");
    expect(a.board.undo()).toEqual({ undone: "Undid rename 'Old' → 'New'" });
    b.replica.receiveBatch(log);
    expect(a.board.get(s.id).name).toBe("Old");
    expect(b.board.get(s.id).name).toBe("Old");
    expect(a.board.redo()).toEqual({ redone: "Redid rename 'Old' → 'New'" });
    b.replica.receiveBatch(log);
    expect(b.board.get(s.id).name).toBe("New");
    expect(a.board.redo()).toEqual({ redone: null });
  });

  it("skips a field someone else changed since, says so, and still undoes the rest", () => {
    const { a, b, log } = pair();
    const s = a.board.create({ name: "N", stage: "1_backlog", agent: null });
    a.clock.t = 2_000;
    a.board.update(s.id, { name: "Mine", blocked: true });
    b.replica.receiveBatch(log);
    b.clock.t = 3_000;
    b.board.update(s.id, { name: "Theirs" });
    a.replica.receiveBatch(log);
    expect(a.board.undo()).toEqual({ undone: "Undid rename 'N' → 'Mine' (skipped name: changed by someone else since)" });
    b.replica.receiveBatch(log);
    for (const n of [a, b]) expect(n.board.get(s.id)).toMatchObject({ name: "Theirs", blocked: false });
  });

  it("when every field changed since, nothing is written and the summary says why", () => {
    const { a, b, log } = pair();
    const s = a.board.create({ name: "N", stage: "1_backlog", agent: null });
    a.board.move(s.id, "3_qa");
    b.replica.receiveBatch(log);
    b.clock.t += 10;
    b.board.move(s.id, "4_merge");
    a.replica.receiveBatch(log);
    const heads = a.replica.heads();
    expect(a.board.undo()).toEqual({ undone: "Could not undo move 'N' Backlog → QA: position changed by someone else since" });
    expect(a.replica.heads()).toEqual(heads);
    expect(a.board.get(s.id).stage).toBe("4_merge");
  });

  it("an undo and a concurrent remote edit of another field commute", () => {
    for (const order of ["ab", "ba"] as const) {
      const { a, b, log } = pair();
      const s = a.board.create({ name: "Old", stage: "1_backlog", agent: null });
      a.board.update(s.id, { name: "New" });
      b.replica.receiveBatch(log);
      const mark = log.length;
      a.board.undo();
      b.board.update(s.id, { agent: "bot", description: "remote" });
      const fresh = log.slice(mark);
      const c = testNode(2);
      c.replica.receiveBatch(log.slice(0, mark));
      c.replica.receiveBatch(order === "ab" ? fresh : [...fresh].reverse());
      a.replica.receiveBatch(log);
      b.replica.receiveBatch(log);
      for (const n of [a, b, c]) expect(n.board.get(s.id)).toMatchObject({ name: "Old", agent: "bot", description: "remote", conflicts: [] });
      expect(c.replica.canonicalState()).toBe(a.replica.canonicalState());
    }
  });

  it("undoes a delete (the story comes back everywhere) and a create (the story goes)", () => {
    const { a, b, log } = pair();
    const s = a.board.create({ name: "Gone", stage: "2_current", agent: null });
    a.board.delete(s.id);
    b.replica.receiveBatch(log);
    expect(b.board.board().stories).toHaveLength(0);
    expect(b.board.trash().stories.map((x) => x.id)).toEqual([s.id]);
    expect(a.board.undo().undone).toBe("Undid delete 'Gone'");
    b.replica.receiveBatch(log);
    expect(b.board.board().stories.map((x) => x.name)).toEqual(["Gone"]);
    expect(a.board.undo().undone).toBe("Undid create 'Gone'");
    b.replica.receiveBatch(log);
    expect(b.board.board().stories).toHaveLength(0);
    expect(a.board.undo().undone).toBeNull();
  });

  it("restore brings a deleted story back; a new edit clears redo; a retry is undone by a decrement", () => {
    const { a } = pair();
    const s = a.board.create({ name: "R", stage: "1_backlog", agent: null });
    a.board.retry(s.id);
    a.board.retry(s.id);
    a.board.undo();
    expect(a.board.get(s.id).retryCount).toBe(1);
    a.board.update(s.id, { description: "x" });
    expect(a.board.redo().redone).toBeNull();
    a.board.delete(s.id);
    expect(() => a.board.get(s.id)).toThrow(/no story/);
    expect(a.board.restore(s.id)).toMatchObject({ name: "R", hidden: false });
    expect(a.board.get(s.id).description).toBe("x");
  });
});

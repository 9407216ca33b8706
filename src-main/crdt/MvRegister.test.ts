/**
 * Multi-value registers through real replicas: concurrent writes made apart
 * keep the losing values (who, what, when) identically on every replica,
 * whatever the delivery order, and a later write that has seen them all
 * resolves the conflict everywhere.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityFromSeed, type Identity } from "./Identity";
import { MAX_HELD } from "./MvRegister";
import { shuffled, testNode, type TestNode } from "../../test/support/crdt/testKit";

const IDENTITIES: Identity[] = Array.from({ length: 4 }, (_, i) => identityFromSeed(new Uint8Array(32).fill(0x60 + i)));

function logOf(nodes: TestNode[]): Uint8Array[] {
  const log: Uint8Array[] = [];
  nodes.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
  return log;
}

describe("multi-value registers", () => {
  it("two partitioned renames: both replicas list both values, winner first, with author and time; a later rename resolves it on both", () => {
    const [a, b] = [testNode(0, { identity: IDENTITIES[0]! }), testNode(1, { identity: IDENTITIES[1]!, t: 1_000 })];
    const log = logOf([a!, b!]);
    const s = a!.board.create({ name: "Start", stage: "1_backlog", agent: null });
    b!.replica.receiveBatch(log);
    a!.clock.t = 5_000;
    b!.clock.t = 7_000;
    a!.board.update(s.id, { name: "From A" });
    b!.board.update(s.id, { name: "From B" });
    a!.replica.receiveBatch(log);
    b!.replica.receiveBatch(log);
    for (const n of [a!, b!]) {
      const got = n.board.get(s.id);
      expect(got.name).toBe("From B");
      expect(got.conflicted).toBe(true);
      expect(got.conflicts).toEqual([
        {
          field: "name",
          values: [
            { value: "From B", author: IDENTITIES[1]!.publicKey, at: 7_000 },
            { value: "From A", author: IDENTITIES[0]!.publicKey, at: 5_000 },
          ],
        },
      ]);
      expect(n.board.board().stories.find((x) => x.id === s.id)?.conflicted).toBe(true);
    }
    // "Keep From A": an ordinary write on A, which has both values in its causal past.
    a!.clock.t = 9_000;
    a!.board.update(s.id, { name: "From A" });
    b!.replica.receiveBatch(log);
    for (const n of [a!, b!]) {
      expect(n.board.get(s.id)).toMatchObject({ name: "From A", conflicted: false, conflicts: [] });
    }
    expect(a!.replica.canonicalState()).toBe(b!.replica.canonicalState());
  });

  it("concurrent writes of the same value are not a conflict; writes of different fields are not either", () => {
    const [a, b] = [testNode(0, { identity: IDENTITIES[0]! }), testNode(1, { identity: IDENTITIES[1]! })];
    const log = logOf([a!, b!]);
    const s = a!.board.create({ name: "S", stage: "1_backlog", agent: null });
    b!.replica.receiveBatch(log);
    a!.board.update(s.id, { name: "Same", description: "text A" });
    b!.board.update(s.id, { name: "Same", agent: "bot" });
    b!.board.move(s.id, "3_qa");
    a!.replica.receiveBatch(log);
    b!.replica.receiveBatch(log);
    for (const n of [a!, b!]) expect(n.board.get(s.id)).toMatchObject({ name: "Same", description: "text A", agent: "bot", stage: "3_qa", conflicts: [] });
  });

  it("concurrent moves conflict by stage, and a later move resolves it", () => {
    const [a, b] = [testNode(0, { identity: IDENTITIES[0]! }), testNode(1, { identity: IDENTITIES[1]! })];
    const log = logOf([a!, b!]);
    const s = a!.board.create({ name: "S", stage: "1_backlog", agent: null });
    b!.replica.receiveBatch(log);
    a!.clock.t = 2_000;
    b!.clock.t = 3_000;
    a!.board.move(s.id, "3_qa");
    b!.board.move(s.id, "4_merge");
    a!.replica.receiveBatch(log);
    b!.replica.receiveBatch(log);
    const conflicts = a!.board.get(s.id).conflicts;
    expect(conflicts).toEqual([{ field: "stage", values: [{ value: "4_merge", author: IDENTITIES[1]!.publicKey, at: 3_000 }, { value: "3_qa", author: IDENTITIES[0]!.publicKey, at: 2_000 }] }]);
    expect(b!.board.get(s.id).conflicts).toEqual(conflicts);
    a!.board.move(s.id, "5_done");
    b!.replica.receiveBatch(log);
    for (const n of [a!, b!]) expect(n.board.get(s.id)).toMatchObject({ stage: "5_done", conflicts: [] });
  });

  it("property: after any partitioned writes and any delivery order, replicas agree on conflicts; one synced write resolves them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.nat(3), value: fc.nat(5), advance: fc.nat(1_000) }), { minLength: 1, maxLength: 20 }),
        fc.integer(),
        (writes, seed) => {
          const nodes = IDENTITIES.map((identity, i) => testNode(i, { identity }));
          const log = logOf(nodes);
          const s = nodes[0]!.board.create({ name: "S", stage: "1_backlog", agent: null });
          for (const n of nodes) n.replica.receiveBatch(log);
          const lastBy = new Map<number, string>();
          for (const w of writes) {
            nodes[w.node]!.clock.t += w.advance + 1;
            nodes[w.node]!.board.update(s.id, { name: `v${w.value}` });
            lastBy.set(w.node, `v${w.value}`);
          }
          nodes.forEach((n, i) => n.replica.receiveBatch(shuffled(log, seed + i)));
          const states = nodes.map((n) => n.board.get(s.id));
          for (const st of states) expect(st).toEqual(states[0]);
          // The held writes are each partition's last write: the distinct values among them.
          const distinct = new Set(lastBy.values());
          const listed = states[0]!.conflicts.find((c) => c.field === "name")?.values.map((v) => v.value) ?? [states[0]!.name];
          expect(new Set(listed)).toEqual(distinct);
          expect(states[0]!.conflicted).toBe(distinct.size > 1);
          nodes[seed & 3]!.board.update(s.id, { name: "resolved" });
          for (const n of nodes) n.replica.receiveBatch(log);
          for (const n of nodes) expect(n.board.get(s.id)).toMatchObject({ name: "resolved", conflicted: false, conflicts: [] });
        },
      ),
      { numRuns: 100 },
    );
  });

  it(`holds at most ${MAX_HELD} concurrent writes per field`, () => {
    const nodes = Array.from({ length: MAX_HELD + 3 }, (_, i) => testNode(i, { identity: identityFromSeed(new Uint8Array(32).fill(0x80 + i)) }));
    const log = logOf(nodes);
    const s = nodes[0]!.board.create({ name: "S", stage: "1_backlog", agent: null });
    for (const n of nodes) n.replica.receiveBatch(log);
    nodes.forEach((n, i) => n.board.update(s.id, { name: `n${i}` }));
    nodes[0]!.replica.receiveBatch(log);
    const rec = nodes[0]!.replica.story(s.id)!;
    expect(1 + (rec.name.others?.length ?? 0)).toBe(MAX_HELD);
    expect(nodes[0]!.board.get(s.id).conflicts[0]!.values).toHaveLength(MAX_HELD);
  });
});

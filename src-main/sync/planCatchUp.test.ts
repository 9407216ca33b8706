/**
 * The two ways `planCatchUp` reads a plan pick the same changes: a small gap
 * by seq ranges sorted by effective clock, a large one (a quarter or more of
 * our changes) by one pass in the order we applied them. Both orders are
 * topological; the pass keeps ours, not the clocks'.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../crdt/Change";
import { signChange } from "../crdt/changeCodec";
import { testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { planCatchUp, type PlanPart } from "./planCatchUp";
import { TimeSlicer } from "./TimeSlicer";

const create = (story: string): Op[] => [{ t: "create", story, name: story, stage: "1_backlog", rank: "a0", agent: null }];

function chain(author: number, length: number, wall: (seq: number) => number): { id: string; bytes: Uint8Array }[] {
  const who = testIdentity(author);
  const out: { id: string; bytes: Uint8Array }[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const deps = seq === 1 ? [] : [out[seq - 2]!.id];
    out.push(signChange({ v: 1, workspace: TEST_WORKSPACE, author: who.publicKey, seq, deps, clock: { wall: wall(seq), logical: 0 }, ops: create(`s${author}-${seq}`) }, who));
  }
  return out;
}

describe("planCatchUp", () => {
  // Two independent authors; B's clocks are all earlier than A's, but we received A's changes first.
  const a = chain(7, 20, (seq) => 10_000 + seq);
  const b = chain(8, 20, (seq) => 100 + seq);

  it("plans a large gap in our arrival order, a small one in clock order, with the same changes a peer lacks", async () => {
    const node = testNode(0);
    node.replica.receiveBatch([...a, ...b].map((c) => c.bytes));
    const keyA = testIdentity(7).publicKey;
    const keyB = testIdentity(8).publicKey;

    // Everything (a fresh peer): arrival order, A before B, although B's clocks are earlier.
    expect(await planCatchUp(node.replica, new Map())).toEqual([...a, ...b].map((c) => c.id));
    // Half of it (A's seqs 11-20 and B's 11-20): still a pass, arrival order.
    const half = new Map([[keyA, 10], [keyB, 10]]);
    expect(await planCatchUp(node.replica, half)).toEqual([...a.slice(10), ...b.slice(10)].map((c) => c.id));
    // A few (under a quarter): seq ranges sorted by effective clock, so B's first.
    const few = new Map([[keyA, 18], [keyB, 17]]);
    expect(await planCatchUp(node.replica, few)).toEqual([...b.slice(17), ...a.slice(18)].map((c) => c.id));
    // Nothing lacking: nothing planned either way.
    expect(await planCatchUp(node.replica, new Map([[keyA, 20], [keyB, 20]]))).toEqual([]);
  });

  it("a peer applying the pass's order in one batch applies every change, none pending", async () => {
    const node = testNode(0);
    node.replica.receiveBatch([...b, ...a].map((c) => c.bytes));
    const plan = await planCatchUp(node.replica, new Map());
    const peer = testNode(1);
    const results = peer.replica.receiveBatch(plan.map((id) => node.replica.getChange(id)!));
    expect(results.map((r) => r.status)).toEqual(plan.map(() => "applied"));
    expect(peer.replica.canonicalState()).toBe(node.replica.canonicalState());
  });

  it("streams a large plan with no equivocator as it is read: the count first, then parts that make up the plan", async () => {
    const node = testNode(0);
    const longA = chain(7, 100, (seq) => 10_000 + seq);
    const longB = chain(8, 100, (seq) => 100 + seq);
    node.replica.receiveBatch([...longA, ...longB].map((c) => c.bytes));
    const parts: PlanPart[] = [];
    // Slices of 0 ms: the pass reads fewer rows per slice each time, so the plan comes in several parts.
    const plan = await planCatchUp(node.replica, new Map(), { slicer: new TimeSlicer(0), stream: (p) => parts.push(p) });
    expect(plan).toHaveLength(200);
    expect(parts[0]).toEqual({ announce: 200 });
    const streamed = parts.slice(1).flatMap((p) => ("ids" in p ? p.ids : []));
    expect(streamed).toEqual(plan);
    expect(parts.length).toBeGreaterThan(3);
    // Each part gives its ids' positions in the log, which the sender reads as runs of rows.
    const positioned = parts.slice(1).flatMap((p) => ("ids" in p ? p.ids.map((id, i) => [id, p.arrivals?.[i]] as const) : []));
    for (const [id, arrival] of positioned) expect(node.replica.changeBytesInArrival(arrival!, arrival!).map((r) => r.id)).toEqual([id]);
    // A small plan is sorted first: nothing streamed.
    const few: PlanPart[] = [];
    await planCatchUp(node.replica, new Map([[testIdentity(7).publicKey, 95], [testIdentity(8).publicKey, 97]]), { stream: (p) => few.push(p) });
    expect(few).toEqual([]);
  });

  it("does not stream when an author equivocated (its count is not one change per seq)", async () => {
    const node = testNode(0);
    const who = testIdentity(7);
    const fork = signChange({ v: 1, workspace: TEST_WORKSPACE, author: who.publicKey, seq: 1, deps: [], clock: { wall: 50, logical: 0 }, ops: create("fork") }, who);
    node.replica.receiveBatch([...a, fork, ...b].map((c) => c.bytes));
    expect(node.replica.equivocators()).toEqual([who.publicKey]);
    const parts: PlanPart[] = [];
    const plan = await planCatchUp(node.replica, new Map(), { stream: (p) => parts.push(p) });
    expect(parts).toEqual([]);
    expect(plan).toHaveLength(41);
  });
});

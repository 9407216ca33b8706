import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { testNode, type TestNode } from "../../test/support/crdt/testKit";

/** n nodes that record every change they apply, plus a full mesh sync. */
function cluster(n: number): { nodes: TestNode[]; log: Uint8Array[]; sync: () => void } {
  const nodes = Array.from({ length: n }, (_, i) => testNode(i));
  const log: Uint8Array[] = [];
  for (const node of nodes) node.replica.onApplied((e) => e.local && log.push(...e.changes));
  const sync = (): void => {
    for (const node of nodes) node.replica.receiveBatch([...log].reverse());
  };
  return { nodes, log, sync };
}

function expectConverged(nodes: TestNode[]): void {
  const states = nodes.map((n) => n.replica.canonicalState());
  for (const s of states) expect(s).toBe(states[0]);
}

describe("PipelineBoard: concurrent semantics", () => {
  it("concurrent moves of one story to different stages leave one placement everywhere", () => {
    const { nodes, sync } = cluster(3);
    const s = nodes[0]!.board.create({ name: "s", stage: "1_backlog", agent: null });
    sync();
    nodes[0]!.board.move(s.id, "2_current");
    nodes[1]!.board.move(s.id, "3_qa");
    nodes[2]!.board.move(s.id, "4_merge");
    sync();
    expectConverged(nodes);
    for (const n of nodes) expect(n.board.board().stories.filter((x) => x.id === s.id)).toHaveLength(1);
  });

  it("counts concurrent retries on three replicas", () => {
    const { nodes, sync } = cluster(3);
    const s = nodes[0]!.board.create({ name: "s", stage: "1_backlog", agent: null });
    sync();
    for (const n of nodes) n.board.retry(s.id);
    nodes[1]!.board.retry(s.id);
    sync();
    expectConverged(nodes);
    expect(nodes[2]!.board.board().stories[0]!.retryCount).toBe(4);
  });

  it("hide wins unless the unhide's clock is strictly greater", () => {
    const run = (hideAt: number, unhideAt: number): boolean => {
      const { nodes, sync } = cluster(2);
      const [a, b] = [nodes[0]!, nodes[1]!];
      a.clock.t = 10;
      b.clock.t = 10;
      const s = a.board.create({ name: "s", stage: "1_backlog", agent: null });
      sync();
      b.board.hide(s.id); // hidden at 10 on both sides first, so unhide is meaningful
      sync();
      a.clock.t = hideAt;
      b.clock.t = unhideAt;
      a.board.hide(s.id);
      b.board.unhide(s.id);
      sync();
      expectConverged(nodes);
      expect(a.board.board({ includeHidden: true }).stories).toHaveLength(1);
      return a.board.board({ includeHidden: true }).stories[0]!.hidden;
    };
    expect(run(100, 50)).toBe(true);
    expect(run(100, 150)).toBe(false);
    expect(run(100, 100)).toBe(true);
  });

  it("concurrent claims produce one winner, the same on every replica", () => {
    const { nodes, sync } = cluster(3);
    const s = nodes[0]!.board.create({ name: "s", stage: "1_backlog", agent: null });
    sync();
    nodes.forEach((n, i) => {
      n.clock.t = 5_000 + i;
      n.board.claim(s.id, `agent-${i}`);
    });
    sync();
    expectConverged(nodes);
    const winners = nodes.map((n) => n.board.board().stories[0]!.claimedBy);
    expect(new Set(winners).size).toBe(1);
    expect(winners[0]).toBe("agent-0"); // earliest claim (by clock) wins
  });

  it("a claim may be taken over only after 600 s without renewal, judged by change clocks", () => {
    const { nodes, sync } = cluster(2);
    const [a, b] = [nodes[0]!, nodes[1]!];
    const s = a.board.create({ name: "s", stage: "1_backlog", agent: null });
    a.clock.t = 10_000;
    a.board.claim(s.id, "alice");
    sync();
    b.clock.t = 10_000 + 599_000;
    expect(() => b.board.claim(s.id, "bob")).toThrow(ApiFailure);
    a.clock.t = 10_000 + 500_000;
    a.board.claim(s.id, "alice"); // renewal
    sync();
    b.clock.t = 10_000 + 1_000_000;
    expect(() => b.board.claim(s.id, "bob")).toThrow(/claimed by alice/);
    b.clock.t = 10_000 + 1_100_000;
    expect(b.board.claim(s.id, "bob").claimedBy).toBe("bob");
    sync();
    expectConverged(nodes);
    expect(a.board.board().stories[0]).toMatchObject({ claimedBy: "bob", claimedAt: 1_110_000 });
    expect(a.board.release(s.id).claimedBy).toBeNull();
  });

  it("dependsOn is add-wins: a concurrent add survives a remove", () => {
    const { nodes, sync } = cluster(2);
    const [a, b] = [nodes[0]!, nodes[1]!];
    const s = a.board.create({ name: "s", stage: "1_backlog", agent: null });
    const d = a.board.create({ name: "d", stage: "1_backlog", agent: null });
    a.board.update(s.id, { dependsOn: [d.id] });
    sync();
    a.board.update(s.id, { dependsOn: [] });
    b.board.update(s.id, { dependsOn: [d.id, d.id] }); // no-op locally: already there
    b.board.update(s.id, { dependsOn: [] });
    b.board.update(s.id, { dependsOn: [d.id] }); // re-add, concurrent with a's remove
    sync();
    expectConverged(nodes);
    expect(a.board.board().stories.find((x) => x.id === s.id)!.dependsOn).toEqual([d.id]);
  });

  it("unknown and deleted stories are not_found; delete is a tombstone everywhere", () => {
    const { nodes, sync } = cluster(2);
    const [a, b] = [nodes[0]!, nodes[1]!];
    expect(() => a.board.move("nope", "2_current")).toThrow(expect.objectContaining({ code: "not_found" }));
    const s = a.board.create({ name: "s", stage: "1_backlog", agent: null });
    sync();
    b.board.update(s.id, { name: "renamed concurrently" });
    a.board.delete(s.id);
    sync();
    expectConverged(nodes);
    for (const n of nodes) {
      expect(n.board.board({ includeHidden: true }).stories).toEqual([]);
      expect(() => n.board.retry(s.id)).toThrow(expect.objectContaining({ code: "not_found" }));
    }
  });

  it("move index places among visible stories; hidden stories are omitted by default", () => {
    const { nodes } = cluster(1);
    const board = nodes[0]!.board;
    const [x, y, z] = ["x", "y", "z"].map((name) => board.create({ name, stage: "2_current", agent: "bot" }));
    board.move(z!.id, "2_current", 0);
    expect(board.board().stories.map((s) => s.name)).toEqual(["z", "x", "y"]);
    board.hide(x!.id);
    expect(board.board().stories.map((s) => s.name)).toEqual(["z", "y"]);
    board.move(y!.id, "2_current", 0);
    expect(board.board().stories.map((s) => s.name)).toEqual(["y", "z"]);
    expect(board.board({ includeHidden: true }).stories).toHaveLength(3);
    expect(board.unhide(x!.id).hidden).toBe(false);
  });

  it("a bulk import is one change with many ops", () => {
    const { nodes, log, sync } = cluster(2);
    const ops = Array.from({ length: 1000 }, (_, i) => ({
      t: "create" as const,
      story: `imp-${i}`,
      name: `story ${i}`,
      stage: "1_backlog" as const,
      rank: `aV${(i + 1).toString(36)}`.replace(/0+$/, ""),
      agent: null,
    }));
    nodes[0]!.replica.commit(ops);
    expect(log).toHaveLength(1);
    sync();
    expect(nodes[1]!.board.board().stories).toHaveLength(1000);
    expectConverged(nodes);
  });
});

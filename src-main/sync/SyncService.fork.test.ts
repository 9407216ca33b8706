import { afterEach, describe, expect, it } from "vitest";
import { signChange } from "../crdt/changeCodec";
import type { Op } from "../crdt/Change";
import { testIdentity, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { hostilePeer } from "../../test/support/sync/hostilePeer";
import { SyncCloseCode } from "./SyncCloseCode";
import { planCatchUp } from "./planCatchUp";
import { converged, sameHeads, serveSync, syncNode, type SyncTestNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const equivocator = testIdentity(9);
const create = (story: string): Op[] => [{ t: "create", story, name: story, stage: "1_backlog", rank: "a0", agent: null }];
const change = (seq: number, deps: string[], wall: number, ops: Op[]) =>
  signChange({ v: 1, workspace: TEST_WORKSPACE, author: equivocator.publicKey, seq, deps, clock: { wall, logical: 0 }, ops }, equivocator);

async function pair(): Promise<[SyncTestNode, SyncTestNode, string]> {
  const a = syncNode(0);
  const b = syncNode(1);
  const server = await serveSync(a.sync.handleUpgrade);
  cleanup.push(() => a.sync.close(), () => b.sync.close(), () => server.close());
  return [a, b, server.url];
}

describe("forks and the need fallback", () => {
  it("heals a two-deep fork neither side knew of (equal vectors, different heads) with need rounds", async () => {
    const [a, b, url] = await pair();
    const e1 = change(1, [], 10, create("fork-1"));
    const e1b = change(2, [e1.id], 11, [{ t: "blocked", story: "fork-1", value: true }]);
    const e2 = change(1, [], 12, create("fork-2"));
    const e2b = change(2, [e2.id], 13, [{ t: "blocked", story: "fork-2", value: true }]);
    a.replica.receiveBatch([e1.bytes, e1b.bytes]);
    b.replica.receiveBatch([e2.bytes, e2b.bytes]);
    expect(a.replica.authorSeqs()).toEqual(b.replica.authorSeqs());
    b.sync.connect(url);
    await waitFor(() => sameHeads([a, b]) && converged([a, b]), "fork healed", 5_000);
    for (const n of [a, b]) expect(n.replica.equivocators()).toEqual([equivocator.publicKey]);
    expect(b.logger.lines.some((l) => l.msg === "sync: asking for missing changes")).toBe(true);
  });

  it("sends a known equivocator's branches from the fork up, whatever the peer's vector says", async () => {
    const a = syncNode(0);
    const e1 = change(1, [], 10, create("x1"));
    const e2 = change(1, [], 11, create("x2"));
    const e3 = change(2, [e2.id], 12, [{ t: "blocked", story: "x2", value: true }]);
    a.replica.receiveBatch([e1.bytes, e2.bytes, e3.bytes]);
    const plan = await planCatchUp(a.replica, new Map([[equivocator.publicKey, 2]]));
    expect(plan).toEqual([e1.id, e2.id, e3.id]); // clock order = topological order
    expect(await planCatchUp(a.replica, new Map())).toEqual([e1.id, e2.id, e3.id]);
    void a.sync.close();
  });

  it("sends an equivocator's branches once: a peer that announces its tips gets only what they lack", async () => {
    const a = syncNode(0);
    const root = change(1, [], 10, create("root"));
    const left = change(2, [root.id], 11, create("left"));
    const right = change(2, [root.id], 11, create("right"));
    const chain = [left];
    for (let i = 0; i < 200; i++) chain.push(change(3 + i, [chain[chain.length - 1]!.id], 12 + i, [{ t: "blocked", story: "left", value: i % 2 === 0 }]));
    const rightTail = change(3, [right.id], 12, [{ t: "blocked", story: "right", value: true }]);
    a.replica.receiveBatch([root, right, ...chain, rightTail].map((c) => c.bytes));
    expect(a.replica.equivocators()).toEqual([equivocator.publicKey]);
    const tips = a.replica.authorTips(equivocator.publicKey, 64)!;
    expect(tips).toEqual([chain[chain.length - 1]!.id, rightTail.id].sort());
    const vec = a.replica.authorSeqs();
    // A peer holding all of it (its tips = ours): nothing to send, where the vector alone meant all 203 above the fork.
    expect(await planCatchUp(a.replica, vec, { peerForks: new Map([[equivocator.publicKey, tips]]) })).toEqual([]);
    expect((await planCatchUp(a.replica, vec)).length).toBe(203);
    // A peer holding the long branch only: exactly the other branch.
    const longOnly = new Map([[equivocator.publicKey, [chain[chain.length - 1]!.id]]]);
    expect(await planCatchUp(a.replica, vec, { peerForks: longOnly })).toEqual([right.id, rightTail.id]);
    // Tips we do not hold: fall back to sending from the fork up.
    expect((await planCatchUp(a.replica, vec, { peerForks: new Map([[equivocator.publicKey, ["cd".repeat(32)]]]) })).length).toBe(203);
    void a.sync.close();
  });

  it("over a real connection, a second reconnect re-sends none of an equivocator's history", async () => {
    const [a, b, url] = await pair();
    const root = change(1, [], 10, create("root"));
    const left = change(2, [root.id], 11, create("left"));
    const right = change(2, [root.id], 11, create("right"));
    const chain = [left];
    for (let i = 0; i < 100; i++) chain.push(change(3 + i, [chain[chain.length - 1]!.id], 12 + i, [{ t: "blocked", story: "left", value: i % 2 === 0 }]));
    a.replica.receiveBatch([root, right, ...chain].map((c) => c.bytes));
    const first = b.sync.connect(url);
    await waitFor(() => sameHeads([a, b]) && converged([a, b]), "first sync", 5_000);
    first.stop();
    await waitFor(() => !a.sync.status().online, "disconnected", 2_000);
    const planned = () => a.logger.lines.filter((l) => l.msg === "sync: catch-up planned").map((l) => l.fields.sending);
    const before = planned().length;
    b.sync.connect(url);
    await waitFor(() => planned().length > before, "second catch-up planned", 5_000);
    expect(planned()[before]).toBe(0);
  });

  it("a peer lying about its vector only misses changes; one lying about heads gets nothing and the rounds end", async () => {
    const [a, , url] = await pair();
    for (let k = 0; k < 5; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    const state = a.replica.canonicalState();
    const p = await hostilePeer(url);
    p.control(await p.auth(testIdentity(5), TEST_WORKSPACE));
    p.control({ t: "sync", vec: [[a.identity.publicKey, 3]], heads: ["ab".repeat(32)] });
    p.control({ t: "plan", count: 0 });
    p.control({ t: "ready" });
    await waitFor(() => p.frames.some((f) => f.ok && f.kind === "control" && f.message.t === "ready"), "ready", 2_000);
    const got = p.frames.filter((f) => f.ok && f.kind === "changes").reduce((n, f) => n + (f.ok && f.kind === "changes" ? f.changes.length : 0), 0);
    expect(got).toBe(2); // seqs 4 and 5 only
    // A asked once for the head it was told of; it never arrives; nothing loops.
    await waitFor(() => a.logger.lines.some((l) => l.msg === "sync: asking for missing changes"), "need", 2_000);
    p.control({ t: "plan", count: 0 });
    p.control({ t: "ready" });
    await new Promise((r) => setTimeout(r, 100));
    expect(a.logger.lines.filter((l) => l.msg === "sync: asking for missing changes").length).toBe(1);
    expect(a.replica.canonicalState()).toBe(state);
  });

  it("detects a silent peer with ping/pong and drops it (4007)", async () => {
    const a = syncNode(0, { limits: { pingIntervalMs: 100 } });
    const server = await serveSync(a.sync.handleUpgrade);
    cleanup.push(() => a.sync.close(), () => server.close());
    const p = await hostilePeer(server.url);
    p.control(await p.auth(testIdentity(5), TEST_WORKSPACE));
    await waitFor(() => a.sync.status().online, "online", 2_000);
    p.socket()!.pause(); // alive TCP, but nothing is read or answered
    const started = Date.now();
    await waitFor(() => a.logger.lines.some((l) => l.msg === "sync: closing link" && l.fields.code === SyncCloseCode.unresponsive), "keepalive", 3_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(a.sync.status().peers).toEqual([]);
  });
});

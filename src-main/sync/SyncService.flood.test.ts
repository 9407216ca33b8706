import { afterEach, describe, expect, it } from "vitest";
import { signChange } from "../crdt/changeCodec";
import { testIdentity, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { hostilePeer } from "../../test/support/sync/hostilePeer";
import { packChanges } from "./SyncFrame";
import { SyncCloseCode } from "./SyncCloseCode";
import { converged, serveSync, syncNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** 100 distinct missing deps (one dep with 100,000 waiters is a MemoryReplicaStore cost, not a sync one). */
const fakeDep = (k: number): string => (k % 100).toString(16).padStart(2, "0").repeat(32);

describe("resource bounds under abuse", () => {
  it("a peer flooding 100,000 changes whose deps never arrive: memory stays bounded, service keeps serving", { timeout: 120_000 }, async () => {
    const node = syncNode(0, { pendingLimits: { maxCount: 2_000, maxBytes: 4 * 1024 * 1024 }, limits: { maxRecvQueueBytes: 1024 * 1024, pingIntervalMs: 5_000 } });
    node.board.create({ name: "existing", stage: "1_backlog", agent: null });
    const state = node.replica.canonicalState();
    const server = await serveSync(node.sync.handleUpgrade);
    cleanup.push(() => node.sync.close(), () => server.close());
    const evil = testIdentity(5);
    // Signed before connecting: signing blocks the loop longer than the handshake timeout.
    const changes: Uint8Array[] = [];
    for (let k = 0; k < 100_000; k++) {
      const c = signChange({ v: 1, workspace: TEST_WORKSPACE, author: evil.publicKey, seq: k + 2, deps: [fakeDep(k)], clock: { wall: 10 + k, logical: 0 }, ops: [{ t: "blocked", story: "s0-0", value: true }] }, evil);
      changes.push(c.bytes);
    }
    const p = await hostilePeer(server.url);
    p.control(await p.auth(evil, TEST_WORKSPACE));
    const { frames } = packChanges(changes, 1024 * 1024);
    for (const f of frames) p.ws.send(f);
    let maxPending = 0;
    await waitFor(() => {
        maxPending = Math.max(maxPending, node.replica.pendingSize().count);
        return (node.sync.status().peers[0]?.changesIn ?? 0) >= 100_000;
      }, "flood processed", 100_000);
    expect(maxPending).toBeLessThanOrEqual(2_000);
    expect(node.logger.lines.some((l) => l.msg === "sync: receive queue full, pausing the socket")).toBe(true);
    expect(node.replica.canonicalState()).toBe(state);
    const honest = syncNode(7);
    cleanup.push(() => honest.sync.close());
    honest.sync.connect(server.url);
    await waitFor(() => converged([node, honest]), "honest peer converges", 10_000);
  });

  it("a peer that never reads is dropped; the others are unaffected", { timeout: 60_000 }, async () => {
    const node = syncNode(0, { limits: { maxQueuedBytes: 2 * 1024 * 1024, highWaterBytes: 256 * 1024, pingIntervalMs: 60_000 } });
    const server = await serveSync(node.sync.handleUpgrade);
    cleanup.push(() => node.sync.close(), () => server.close());
    const good = syncNode(1);
    cleanup.push(() => good.sync.close());
    good.sync.connect(server.url);
    const p = await hostilePeer(server.url);
    p.control(await p.auth(testIdentity(5), TEST_WORKSPACE));
    p.control({ t: "sync", vec: [], heads: [] });
    p.control({ t: "plan", count: 0 });
    p.control({ t: "ready" });
    await waitFor(() => node.sync.status().peers.filter((x) => x.state === "live").length === 2, "both live", 5_000);
    p.socket()!.pause();
    // Bulk changes (~100 KB each) until the stalled peer's queue overflows.
    let k = 0;
    const closed = p.closed.then((c) => c.code);
    let code: number | undefined;
    void closed.then((c) => (code = c));
    while (code === undefined && !node.logger.lines.some((l) => l.fields.code === SyncCloseCode.lagging) && k < 400) {
      const ops = Array.from({ length: 400 }, (_, j) => ({ t: "create" as const, story: `bulk-${k}-${j}`, name: "x".repeat(200), stage: "1_backlog" as const, rank: "a1", agent: null }));
      node.replica.commit(ops);
      k++;
      await new Promise((r) => setImmediate(r));
    }
    expect(node.logger.lines.some((l) => l.msg === "sync: closing link" && l.fields.code === SyncCloseCode.lagging)).toBe(true);
    await waitFor(() => node.sync.status().peers.length === 1, "dropped", 5_000);
    await waitFor(() => converged([node, good]), "good peer converges", 20_000);
  });
});

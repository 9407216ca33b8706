import { afterEach, describe, expect, it } from "vitest";
import { discoverWorkspace } from "./discoverWorkspace";
import { converged, sameHeads, serveSync, syncNode, type SyncTestNode, type TestServer } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";
import type { SyncStatus } from "./SyncStatus";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function hub(i: number): Promise<{ node: SyncTestNode; server: TestServer }> {
  const node = syncNode(i);
  const server = await serveSync(node.sync.handleUpgrade);
  cleanup.push(() => node.sync.close(), () => server.close());
  return { node, server };
}

function spoke(i: number): SyncTestNode {
  const node = syncNode(i);
  cleanup.push(() => node.sync.close());
  return node;
}

describe("SyncService", () => {
  it("converges two replicas with offline edits on both", async () => {
    const { node: a, server } = await hub(0);
    const b = spoke(1);
    for (let k = 0; k < 20; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    for (let k = 0; k < 15; k++) b.board.create({ name: `b${k}`, stage: "2_current", agent: null });
    b.sync.connect(server.url);
    await waitFor(() => a.replica.stories().length === 35 && b.replica.stories().length === 35, "catch-up", 10_000);
    await waitFor(() => converged([a, b]) && sameHeads([a, b]), "condition", 10_000);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
    await waitFor(() => a.sync.status().peers[0]?.state === "live" && b.sync.status().peers[0]?.state === "live", "condition", 10_000);
    expect(b.sync.status().unsent).toBe(0);
    expect(a.logger.lines.some((l) => l.msg === "sync: handshake ok" && l.fields.peer === b.identity.publicKey)).toBe(true);
  });

  it("converges three replicas through one rendezvous hub, relaying live edits once", async () => {
    const { node: hubNode, server } = await hub(0);
    const b = spoke(1);
    const c = spoke(2);
    b.board.create({ name: "from b", stage: "1_backlog", agent: null });
    c.board.create({ name: "from c", stage: "1_backlog", agent: null });
    b.sync.connect(server.url);
    c.sync.connect(server.url);
    await waitFor(() => [hubNode, b, c].every((n) => n.replica.stories().length === 2), "initial", 10_000);
    await waitFor(() => hubNode.sync.status().peers.filter((p) => p.state === "live").length === 2, "condition", 10_000);
    const s = b.board.create({ name: "live", stage: "1_backlog", agent: null });
    c.board.move(c.replica.stories()[0]!.id, "3_qa");
    b.board.retry(s.id);
    c.board.retry(s.id === c.replica.stories()[0]!.id ? s.id : c.replica.stories()[0]!.id);
    await waitFor(() => converged([hubNode, b, c]) && sameHeads([hubNode, b, c]) && hubNode.replica.stories().length === 3, "convergence", 10_000);
    // Nothing was echoed back to its sender: each spoke got only the other spoke's changes.
    const peerB = b.sync.status().peers[0]!;
    const fromHub = peerB.changesIn;
    expect(fromHub).toBe(3); // c's create, move and retry
  });

  it("makes an edit visible on a connected peer within 200 ms", async () => {
    const { node: a, server } = await hub(0);
    const b = spoke(1);
    b.sync.connect(server.url);
    await waitFor(() => b.sync.status().peers[0]?.state === "live" && a.sync.status().peers[0]?.state === "live", "condition", 10_000);
    const latencies: number[] = [];
    for (let k = 0; k < 20; k++) {
      const start = performance.now();
      const s = a.board.create({ name: `x${k}`, stage: "1_backlog", agent: null });
      await waitFor(() => b.replica.story(s.id) !== undefined, "visible", 1_000);
      latencies.push(performance.now() - start);
    }
    latencies.sort((x, y) => x - y);
    expect(latencies[Math.floor(latencies.length / 2)]!).toBeLessThan(200);
  });

  it("reports status and status changes with catch-up progress", async () => {
    const { node: a, server } = await hub(0);
    for (let k = 0; k < 300; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    const b = spoke(1);
    b.board.create({ name: "b", stage: "1_backlog", agent: null });
    expect(b.sync.status()).toMatchObject({ nodeId: b.identity.publicKey, workspaceId: b.replica.workspace, online: false, peers: [], unsent: 1 });
    const seen: SyncStatus[] = [];
    b.sync.onStatus((s) => seen.push(s));
    b.sync.connect(server.url);
    await waitFor(() => b.replica.stories().length === 301 && b.sync.status().peers[0]?.state === "live", "condition", 10_000);
    await waitFor(() => b.sync.status().unsent === 0, "unsent 0", 2_000);
    const st = b.sync.status();
    expect(st.online).toBe(true);
    expect(st.heads).toEqual([...b.replica.heads()].sort());
    expect(st.peers[0]).toMatchObject({ nodeId: a.identity.publicKey, url: server.url, direction: "out", state: "live" });
    expect(st.rendezvous[0]).toMatchObject({ url: server.url, state: "connected", failures: 0 });
    expect(seen.some((s) => s.catchUp !== null && s.catchUp.expected === 300)).toBe(true);
    expect(seen.at(-1)!.online).toBe(true);
  });

  it("discovers a rendezvous peer's workspace before a node exists", async () => {
    const { node: a, server } = await hub(0);
    await expect(discoverWorkspace(server.url)).resolves.toEqual({ workspace: a.replica.workspace, nodeId: a.identity.publicKey });
  });
});

/**
 * Attacks by an authenticated peer on a real `musher serve`, performed by
 * the protocol peer written from docs/PROTOCOL.md (test/support/protocolPeer):
 * first that peer must interoperate (catch-up received, its change applied),
 * then an invalid-change flood must cost it the link (4009) with one summary
 * log line, while duplicates never count as invalid. After each attack the
 * node still writes, answers within 1 s, and a fresh device converges.
 * The workspace is closed: a peer without an invite gets nothing; the
 * attackers are members gone bad (joined by invite, `memberPeer`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOf } from "../support/apiOf";
import { memberPeer } from "../support/memberPeer";
import { createOp, ProtocolPeer } from "../support/protocolPeer";
import { serveFleet } from "../support/serveFleet";
import { inviteFrom, startServe, type ServeProcess } from "../support/startServe";
import { stillHealthy } from "../support/stillHealthy";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
let node: ServeProcess;

beforeAll(async () => {
  node = await fleet.track(startServe());
  for (let i = 0; i < 3; i++) await apiOf(node).ok("story/create", { name: `existing ${i}` });
});
afterAll(() => fleet.stopAll());

const logsSince = (from: number) => node.logs().slice(from);

describe("an authenticated peer attacks /sync", { timeout: 90_000 }, () => {
  it("without an invite the doc-written peer gets nothing (4010); with one it interoperates: catch-up, its join, its own change applied", async () => {
    const stranger = await ProtocolPeer.connect(apiOf(node).syncUrl, { refusalExpected: true });
    expect((await stranger.closed).code).toBe(4010);
    expect(stranger.received).toHaveLength(0);
    const peer = await ProtocolPeer.connect(apiOf(node).syncUrl, { invite: await inviteFrom(node, "doc peer") });
    await peer.caughtUp();
    const names = peer.received.flatMap((c) => (c.body["ops"] as { t: string; name?: string }[]).map((o) => o.name));
    expect(names).toEqual(expect.arrayContaining(["existing 0", "existing 1", "existing 2"]));
    const heads = peer.serverHeads();
    expect(heads).toEqual((await apiOf(node).status()).heads);
    const join = peer.join();
    const mine = peer.makeChange({ seq: 2, deps: [join.id], ops: [createOp("peer-story-1", "from the protocol peer")] });
    peer.sendChanges([mine]);
    await waitFor(async () => (await apiOf(node).board()).stories.some((s) => s.id === "peer-story-1"), "the peer's story on the node");
    expect((await apiOf(node).status()).heads).toContain(mine.id);
    peer.close();
  });

  it("a flood of invalid changes closes the link with 4009 and logs one summary, not a line per change", async () => {
    const from = node.stderr.length;
    const logFrom = node.logs().length;
    const { peer } = await memberPeer(node);
    // Three kinds of invalid: forged signature, wrong seq (no causal past for seq 5), wrong workspace.
    const bad = Array.from({ length: 3_000 }, (_, i) =>
      i % 3 === 0
        ? peer.makeChange({ seq: 1, ops: [createOp(`forged-${i}`, "x")], badSignature: true })
        : i % 3 === 1
          ? peer.makeChange({ seq: 5, ops: [createOp(`skip-${i}`, "x")] })
          : // Format 1 carries its workspace (format 2 hashes it: moved, it is a "bad signature", changeCodec.test.ts).
            peer.makeChange({ seq: 1, workspace: "w_elsewhere", format: 1, ops: [createOp(`elsewhere-${i}`, "x")] }),
    );
    for (let i = 0; i < bad.length; i += 100) {
      if (peer.ws.readyState !== peer.ws.OPEN) break;
      peer.sendChanges(bad.slice(i, i + 100));
    }
    const { code } = await peer.closed;
    expect(code).toBe(4009);
    const logs = logsSince(logFrom);
    const summaries = logs.filter((l) => l.msg === "sync: peer sent too many invalid changes");
    expect(summaries).toHaveLength(1);
    const byReason = summaries[0]!["byReason"] as Record<string, number>;
    expect(Object.keys(byReason).sort()).toEqual(["bad signature", "seq 5 but causal past implies 1", "wrong workspace"]);
    expect(summaries[0]!["rejected"]).toBeGreaterThan(64);
    expect(logs.filter((l) => l.msg === "sync: change from peer rejected")).toHaveLength(5);
    expect(logs.filter((l) => l.msg === "crdt: change rejected")).toHaveLength(0);
    expect(logs.some((l) => l.msg === "sync: closing link" && l["code"] === 4009)).toBe(true);
    // Nothing of it was applied.
    expect((await apiOf(node).board()).stories.some((s) => /^(forged|skip|elsewhere)-/.test(s.id))).toBe(false);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
  });

  it("changes whose deps never come fill the bounded pending queue without a log line per dropped change", async () => {
    const from = node.stderr.length;
    const { peer } = await memberPeer(node);
    const missing = "f".repeat(64);
    const orphans = Array.from({ length: 10_600 }, (_, i) => peer.makeChange({ seq: 2, deps: [missing], ops: [createOp(`orphan-${i}`, "o")] }));
    for (let i = 0; i < orphans.length; i += 2_000) peer.sendChanges(orphans.slice(i, i + 2_000));
    await waitFor(async () => ((await apiOf(node).status()).peers.find((p) => p.nodeId === peer.key.publicKey)?.changesIn ?? 0) >= orphans.length, "all orphans received", 60_000);
    // Pending is not invalid: the link stays; the queue keeps its bound (10,000) and says so in a few lines.
    expect(peer.ws.readyState).toBe(peer.ws.OPEN);
    const drops = node.logs().filter((l) => l.msg.startsWith("crdt: pending change") && l.level === "warn");
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.length).toBeLessThanOrEqual(10);
    peer.close();
    await peer.closed;
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 25, join: false });
  });

  it("invalid changes parked behind a withheld dep are summed in one line when the dep releases them", async () => {
    const from = node.stderr.length;
    const logFrom = node.logs().length;
    const { peer, join } = await memberPeer(node);
    const dep = peer.makeChange({ seq: 2, deps: [join.id], ops: [createOp("released-dep", "withheld, then sent")] });
    // seq 7 where the causal past implies 3: invalid, but only decidable once `dep` is there.
    const parked = Array.from({ length: 3_000 }, (_, i) => peer.makeChange({ seq: 7, deps: [dep.id], ops: [createOp(`parked-${i}`, "p")] }));
    for (let i = 0; i < parked.length; i += 1_000) peer.sendChanges(parked.slice(i, i + 1_000)); // frames ≤ 1 MiB
    peer.sendChanges([dep]);
    await waitFor(async () => (await apiOf(node).board()).stories.some((s) => s.id === "released-dep"), "the dep applied");
    await waitFor(() => logsSince(logFrom).some((l) => l.msg === "crdt: changes released from the pending queue rejected"), "the summary line");
    const logs = logsSince(logFrom);
    const summaries = logs.filter((l) => l.msg === "crdt: changes released from the pending queue rejected");
    expect(summaries.reduce((n, l) => n + Number(l["count"]), 0)).toBe(parked.length);
    expect(summaries.length).toBeLessThanOrEqual(2);
    expect(logs.filter((l) => l.msg === "crdt: change rejected")).toHaveLength(0);
    expect((await apiOf(node).board()).stories.some((s) => s.id.startsWith("parked-"))).toBe(false);
    peer.close();
    await peer.closed;
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20, join: false });
  });

  it("duplicates are not invalid: re-sending the catch-up many times keeps the link", async () => {
    const from = node.stderr.length;
    const { peer } = await memberPeer(node);
    expect(peer.received.length).toBeGreaterThan(3);
    for (let round = 0; round < 40; round++) peer.sendChanges(peer.received);
    const total = 40 * peer.received.length;
    expect(total).toBeGreaterThan(64 * 2);
    // Let the node apply them all (one status read after they were sent is ordered after them on its loop? no: poll the counter).
    await waitFor(async () => ((await apiOf(node).status()).peers.find((p) => p.nodeId === peer.key.publicKey)?.changesIn ?? 0) >= total, "all duplicates received");
    expect(peer.ws.readyState).toBe(peer.ws.OPEN);
    peer.close();
    await peer.closed;
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20, join: false });
  });
});

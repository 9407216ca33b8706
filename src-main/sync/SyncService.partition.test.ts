import { afterEach, describe, expect, it } from "vitest";
import { isHidden, retryCount } from "../crdt/StoryRecord";
import { converged, sameHeads, serveSync, syncNode, type SyncTestNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

function track(node: SyncTestNode): SyncTestNode {
  cleanup.push(() => node.sync.close());
  return node;
}

describe("partition and healing", () => {
  it("heals a partition with O(missing) traffic and the CRDT rules intact", async () => {
    const a = track(syncNode(0));
    const b = track(syncNode(1));
    const server = await serveSync(a.sync.handleUpgrade);
    cleanup.push(() => server.close());
    const all: Uint8Array[] = [];
    a.replica.onApplied((e) => all.push(...e.changes));
    // 2,000 shared changes.
    const ids: string[] = [];
    for (let k = 0; k < 1_000; k++) ids.push(a.board.create({ name: `s${k}`, stage: "1_backlog", agent: null }).id);
    for (let k = 0; k < 1_000; k++) a.board.update(ids[k]!, { name: `renamed ${k}` });
    const link = b.sync.connect(server.url);
    await waitFor(() => sameHeads([a, b]) && b.sync.status().peers[0]?.state === "live", "initial sync", 20_000);
    link.stop();
    await waitFor(() => a.sync.status().peers.length === 0, "disconnect", 5_000);

    // Apart: 10 changes on each side.
    const [moved, retried, hidden] = [ids[0]!, ids[1]!, ids[2]!];
    a.board.move(moved, "3_qa");
    b.board.move(moved, "5_done");
    a.board.retry(retried);
    b.board.retry(retried);
    b.clock.t = 2_000;
    b.board.unhide(hidden); // earlier clock than A's hide below
    a.clock.t = 5_000;
    a.board.hide(hidden);
    for (let k = 0; k < 7; k++) a.board.update(ids[10 + k]!, { name: `a-side ${k}` });
    for (let k = 0; k < 7; k++) b.board.update(ids[20 + k]!, { name: `b-side ${k}` });
    expect(b.sync.status().unsent).toBe(10);

    const before = { up: server.bytesIn(), down: b.sync.status().peers[0]?.bytesIn ?? 0 };
    b.sync.connect(server.url);
    await waitFor(() => converged([a, b]) && sameHeads([a, b]) && b.sync.status().peers[0]?.state === "live", "heal", 20_000);
    const up = server.bytesIn() - before.up;
    const down = b.sync.status().peers[0]!.bytesIn - before.down;
    const fullDump = all.reduce((n, c) => n + c.length, 0);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
    for (const n of [a, b]) {
      expect(retryCount(n.replica.story(retried)!)).toBe(2);
      expect(isHidden(n.replica.story(hidden)!)).toBe(true);
    }
    expect(a.replica.story(moved)!.place.value.stage).toBe(b.replica.story(moved)!.place.value.stage);
    expect(up).toBeLessThan(fullDump * 0.05);
    expect(down).toBeLessThan(fullDump * 0.05);
    expect(b.sync.status().peers[0]!.changesIn).toBe(10);
    expect(a.sync.status().peers[0]!.changesIn).toBe(10);
    await waitFor(() => b.sync.status().unsent === 0, "unsent 0", 2_000);
  });

  it("survives a rendezvous restart mid-stream: clients back off, reconnect and converge", async () => {
    const hub = track(syncNode(0));
    const b = track(syncNode(1));
    const c = track(syncNode(2));
    let server = await serveSync(hub.sync.handleUpgrade);
    const port = server.port;
    cleanup.push(() => server.close());
    b.sync.connect(server.url);
    c.sync.connect(server.url);
    await waitFor(() => hub.sync.status().peers.filter((p) => p.state === "live").length === 2, "connected", 10_000);
    for (let k = 0; k < 30; k++) {
      b.board.create({ name: `b${k}`, stage: "1_backlog", agent: null });
      c.board.create({ name: `c${k}`, stage: "1_backlog", agent: null });
      if (k === 10) await server.close(); // mid-stream
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => b.sync.status().peers.length === 0 && c.sync.status().peers.length === 0, "drop", 5_000);
    await new Promise((r) => setTimeout(r, 300)); // a few failed attempts
    server = await serveSync(hub.sync.handleUpgrade, port);
    await waitFor(() => converged([hub, b, c]) && hub.replica.stories().length === 60, "converge after restart", 15_000);
    expect(sameHeads([hub, b, c])).toBe(true);
    const warnings = b.logger.lines.filter((l) => l.msg === "sync: rendezvous connection failed");
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]!.level).toBe("warn");
  });

  it("backs off exponentially to the cap and escalates WARN to ERROR after N failures", async () => {
    const dead = await serveSync(() => undefined);
    const url = dead.url;
    await dead.close(); // nothing listens there now
    const b = track(syncNode(1, { limits: { backoffBaseMs: 10, backoffMaxMs: 80, errorAfterFailures: 4 } }));
    b.sync.connect(url);
    await waitFor(() => b.logger.lines.filter((l) => l.msg === "sync: rendezvous connection failed").length >= 6, "failures", 5_000);
    const fails = b.logger.lines.filter((l) => l.msg === "sync: rendezvous connection failed").slice(0, 6);
    expect(fails.map((l) => l.fields.retryInMs)).toEqual([10, 20, 40, 80, 80, 80]);
    expect(fails.map((l) => l.level)).toEqual(["warn", "warn", "warn", "error", "error", "error"]);
    expect(b.sync.status().rendezvous[0]!.failures).toBeGreaterThanOrEqual(6);
    // Why it waits, for the UI: no connection at all (1006), not a refusal.
    expect(b.sync.status().rendezvous[0]!.lastError).toMatchObject({ code: 1006 });
  });
});

/**
 * A catch-up is planned in slices (other work runs in between): changes
 * committed while it is being planned still reach the peer exactly once —
 * after the catch-up, never twice, never lost — and a link closed mid-plan
 * stops planning without touching anything.
 */
import { afterEach, describe, expect, it } from "vitest";
import { converged, sameHeads, serveSync, syncNode, type SyncTestNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** Yield after every unit of planning work: a plan of n changes spans > n event-loop turns. */
const SLOW_PLAN = { planSliceMs: 0 };

function node(i: number): SyncTestNode {
  const n = syncNode(i, { limits: SLOW_PLAN });
  cleanup.push(() => n.sync.close());
  return n;
}

describe("planning a catch-up in slices", () => {
  it("sends changes committed during planning once, after the catch-up", async () => {
    const a = node(0);
    const b = node(1);
    for (let k = 0; k < 400; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    const server = await serveSync(a.sync.handleUpgrade);
    cleanup.push(() => server.close());
    b.sync.connect(server.url);
    // Commit on A once per event-loop turn while its link to B is syncing (its plan is being computed).
    let during = 0;
    let total = 0;
    await new Promise<void>((resolve) => {
      const edit = (): void => {
        const state = a.sync.status().peers[0]?.state;
        if (state === "live") return resolve();
        a.board.create({ name: `during ${total++}`, stage: "2_current", agent: null });
        if (state === "syncing") during++;
        setImmediate(edit);
      };
      edit();
    });
    expect(during).toBeGreaterThan(10);
    await waitFor(() => converged([a, b]) && sameHeads([a, b]), "convergence", 10_000);
    const link = b.sync.status().peers[0]!;
    expect(link.changesIn).toBe(400 + total); // each exactly once
    expect(b.logger.lines.find((l) => l.msg === "sync: catch-up received")?.fields).toMatchObject({ duplicate: 0, pending: 0, rejected: 0 });
  });

  it("stops planning when the link closes mid-plan", async () => {
    const a = node(0);
    for (let k = 0; k < 300; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    const server = await serveSync(a.sync.handleUpgrade);
    cleanup.push(() => server.close());
    const b = node(1);
    b.sync.connect(server.url);
    // Polled every millisecond: the "syncing" window is a few hundred event-loop turns.
    await waitFor(() => a.sync.status().peers[0]?.state === "syncing", "A planning", 5_000, 1);
    await a.sync.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(a.logger.lines.some((l) => l.msg.startsWith("sync: planning") && l.level === "error")).toBe(false);
    expect(a.logger.lines.some((l) => l.msg === "sync: catch-up planned")).toBe(false);
  });
});

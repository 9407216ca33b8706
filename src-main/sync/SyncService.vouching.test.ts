/**
 * Vouching over real sync (docs/PROTOCOL.md, "Authentication by author
 * heads"): a peer may hold a change whose signature bytes are broken but
 * which a later change of its author vouched for. Applied one change per
 * batch, the broken change arrives alone and is rejected; its voucher then
 * waits for it, and the `need` round re-requests the missing dep of that
 * queued change — re-sent, it is vouched by the queued voucher and applies.
 */
import { afterEach, describe, expect, it } from "vitest";
import { POOL_MIN_CHECKS } from "../crdt/prepareBatch";
import { Replica } from "../crdt/Replica";
import { VerifyPool, type VerifyItem } from "../crdt/VerifyPool";
import { badSig, chainOf, idOf } from "../../test/support/crdt/dishonestKit";
import { recordingLogger, TEST_WORKSPACE, testIdentity } from "../../test/support/crdt/testKit";
import { hostilePeer } from "../../test/support/sync/hostilePeer";
import { converged, FAST_LIMITS, serveSync, syncNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";
import { packChanges } from "./SyncFrame";
import { SyncService } from "./SyncService";

/** A real pool that counts what it was asked to verify. */
class CountingPool extends VerifyPool {
  asked = 0;
  override verifyMany(items: readonly VerifyItem[]): Promise<boolean[]> {
    this.asked += items.length;
    return super.verifyMany(items);
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

describe("vouching across sync", () => {
  it("a change rejected alone is re-requested by `need` for the queued change that vouches for it, and then applies", async () => {
    const chain = chainOf(5, 4);
    const holder = syncNode(0);
    // The holder accepted chain[1] on chain[3]'s word: it stores (and serves) the broken bytes.
    const stored = [chain[0]!, badSig(chain[1]!), chain[2]!, chain[3]!];
    expect(holder.replica.receiveBatch(stored).every((r) => r.status === "applied")).toBe(true);
    const fresh = syncNode(1, { limits: { applyChunk: 1 } });
    cleanup.push(() => holder.sync.close(), () => fresh.sync.close());
    const server = await serveSync(holder.sync.handleUpgrade);
    cleanup.push(() => server.close());
    fresh.sync.connect(server.url);
    await waitFor(() => converged([holder, fresh]), "fresh device converges", 10_000);
    for (const c of chain) expect(fresh.replica.hasChange(idOf(c))).toBe(true);
    // It got there through a rejection and a `need` for the missing dep.
    expect(fresh.logger.lines.some((l) => l.msg === "sync: change from peer rejected" && l.fields.id === idOf(chain[1]!))).toBe(true);
    expect(fresh.logger.lines.some((l) => l.msg === "sync: asking for missing changes")).toBe(true);
  });

  it("a hostile frame's individual checks run in the worker pool; an honest chunk's few heads stay in this thread", async () => {
    const pool = new CountingPool({ size: 1 });
    const identity = testIdentity(0);
    const logger = recordingLogger();
    const replica = new Replica({ workspace: TEST_WORKSPACE, signer: identity, logger, verifyPool: pool });
    const sync = new SyncService({ replica, identity, log: logger, limits: { ...FAST_LIMITS, maxRejectedChanges: 1_000 } });
    const server = await serveSync(sync.handleUpgrade);
    cleanup.push(() => pool.close(), () => sync.close(), () => server.close());
    const chain = chainOf(5, 40);
    const p = await hostilePeer(server.url);
    p.control(await p.auth(testIdentity(6), TEST_WORKSPACE));
    // Every signature broken: each chunk's head fails in this thread, then a chunk's large second round goes to the workers.
    p.ws.send(packChanges(chain.map(badSig), 1 << 20).frames[0]!);
    await waitFor(() => logger.lines.filter((l) => l.msg === "sync: change from peer rejected").length >= 5, "rejections", 5_000);
    await waitFor(() => replica.signaturesChecked() === 40, "all checked", 5_000);
    const asked = pool.asked;
    expect(asked).toBeGreaterThanOrEqual(POOL_MIN_CHECKS);
    expect(chain.some((c) => replica.hasChange(idOf(c)))).toBe(false);
    // The same chain honestly signed: one head, checked here.
    p.ws.send(packChanges(chain, 1 << 20).frames[0]!);
    await waitFor(() => chain.every((c) => replica.hasChange(idOf(c))), "honest chain applied", 5_000);
    expect(pool.asked).toBe(asked);
    expect(replica.signaturesChecked()).toBeLessThanOrEqual(43); // a head per chunk
  });
});

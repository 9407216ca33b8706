/**
 * Vouching over real sync (docs/PROTOCOL.md, "Authentication by author
 * heads"): a peer may hold a change whose signature bytes are broken but
 * which a later change of its author vouched for. Applied one change per
 * batch, the broken change arrives alone and is rejected; its voucher then
 * waits for it, and the `need` round re-requests the missing dep of that
 * queued change — re-sent, it is vouched by the queued voucher and applies.
 */
import { afterEach, describe, expect, it } from "vitest";
import { badSig, chainOf, idOf } from "../../test/support/crdt/dishonestKit";
import { converged, serveSync, syncNode } from "../../test/support/sync/syncTestKit";
import { waitFor } from "../../test/support/waitFor";

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
});

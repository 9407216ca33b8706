/**
 * Checks started ahead of a batch's turn (`Prechecks`, `Replica.precheck`)
 * move work off the main thread and change no outcome: the batch's head
 * checks are the pool's, a change carrying another signature than the one
 * the pool verified is checked on its own, and what is held stays bounded.
 */
import { afterAll, describe, expect, it } from "vitest";
import { decodeChange } from "./changeCodec";
import { MemoryReplicaStore } from "./MemoryReplicaStore";
import { Prechecks } from "./Prechecks";
import { Replica } from "./Replica";
import { VerifyPool } from "./VerifyPool";
import { recordingLogger, TEST_WORKSPACE, testIdentity } from "../../test/support/crdt/testKit";
import { badSig, chainOf, idOf } from "../../test/support/crdt/dishonestKit";

const pool = new VerifyPool({ size: 1 });
afterAll(() => pool.close());

const pooled = (): Replica => new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(9), logger: recordingLogger(), store: new MemoryReplicaStore(), verifyPool: pool });

/** Three authors' chains, interleaved (a topological order, as a catch-up sends them). */
function threeAuthors(n: number): Uint8Array[] {
  const chains = [1, 2, 3].map((i) => chainOf(i, n));
  return Array.from({ length: n }, (_, k) => chains.map((c) => c[k]!)).flat();
}

describe("Replica.precheck", () => {
  it("verifies each batch's author heads in the pool, so preparing the batch checks nothing in this thread", async () => {
    const log = threeAuthors(20);
    const batches = [log.slice(0, 30), log.slice(30)];
    const r = pooled();
    await r.precheck(batches);
    expect(r.signaturesChecked()).toBe(6); // three authors' heads, per batch
    for (const batch of batches) {
      const prepared = r.prepareBatch(batch);
      expect(prepared).not.toBeInstanceOf(Promise); // a few head checks: this thread's, none needed
      r.applyPrepared(prepared as Exclude<typeof prepared, Promise<unknown>>);
    }
    expect(r.signaturesChecked()).toBe(6);
    expect(log.every((c) => r.hasChange(idOf(c)))).toBe(true);
  });

  it("decides every change as a replica without prechecks does", async () => {
    const log = threeAuthors(12);
    const withChecks = pooled();
    const without = pooled();
    await withChecks.precheck([log]);
    expect(withChecks.receiveBatch(log)).toEqual(without.receiveBatch(log));
    expect(withChecks.heads()).toEqual(without.heads());
  });

  it("checks on its own a head that carries another signature than the one the pool verified", async () => {
    const log = threeAuthors(10);
    const r = pooled();
    await r.precheck([log]);
    const head = log[log.length - 1]!; // author 3's last change: a head the pool verified
    const forged = badSig(head); // same body, same id, a signature that does not verify
    const batch = [...log.slice(0, -1), forged];
    const before = r.signaturesChecked();
    const results = r.receiveBatch(batch);
    expect(results.at(-1)).toMatchObject({ status: "rejected", reason: "bad signature" });
    expect(r.hasChange(idOf(head))).toBe(false);
    expect(r.signaturesChecked()).toBeGreaterThan(before); // checked here, not taken from the pool's answer
    // The real head still applies afterwards (its ancestors by author 3 were checked one by one).
    expect(r.receive(head).status).toBe("applied");
  });

  it("keeps no answer for a head whose signature fails in the pool", async () => {
    const log = threeAuthors(6);
    const forgedHead = badSig(log[log.length - 1]!);
    const batch = [...log.slice(0, -1), forgedHead];
    const r = pooled();
    await r.precheck([batch]);
    expect(r.receiveBatch(batch).at(-1)).toMatchObject({ status: "rejected", reason: "bad signature" });
  });
});

describe("Prechecks", () => {
  it("holds a bounded number of answers, oldest dropped first, each handed out once", async () => {
    const log = chainOf(1, 1_100);
    const checks = new Prechecks(pool, () => undefined);
    await checks.batches(log.map((c) => [c]), TEST_WORKSPACE); // one batch per change: each one a head
    const signed = (c: Uint8Array) => {
      const d = decodeChange(c, TEST_WORKSPACE);
      if (!d.ok) throw new Error(d.reason);
      return d.value;
    };
    expect(checks.verifiedBefore(signed(log[0]!))).toBe(false); // dropped: checked again in its turn
    expect(checks.verifiedBefore(signed(log[log.length - 1]!))).toBe(true);
    expect(checks.verifiedBefore(signed(log[log.length - 1]!))).toBe(false); // handed out once
  });
});

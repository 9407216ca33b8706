/**
 * Per-author-head authentication (docs/PROTOCOL.md, "Authentication by
 * author heads"), attacked: every change a replica accepts must be one its
 * author signed, either itself or through a later change of the same author
 * that has it in its causal past — and an honest batch must cost one
 * signature check per author branch, not one per change.
 */
import { describe, expect, it } from "vitest";
import { CHANGE_VERSION } from "./Change";
import { signChange } from "./changeCodec";
import { authenticateBatch, type BatchEntry } from "./authenticateBatch";
import { TEST_WORKSPACE, testIdentity, testNode } from "../../test/support/crdt/testKit";
import { badSig, chainOf, create, forged, fresh, idOf, tampered, tap } from "../../test/support/crdt/dishonestKit";

describe("per-author-head authentication", () => {
  it("holds with more authors in one batch than one 32-bit word of author bits", () => {
    // 40 authors, each a chain of two; author 35's head fails, and author 3's head (the same bit, one word lower) cites author 35's base.
    const entries: BatchEntry[] = [];
    for (let a = 0; a < 40; a++) entries.push({ id: `a${a}-0`, author: `k${a}`, deps: [] });
    for (let a = 0; a < 40; a++) entries.push({ id: `a${a}-1`, author: `k${a}`, deps: a === 3 ? [`a${a}-0`, "a35-0"] : [`a${a}-0`] });
    const asked: string[][] = [];
    const result = authenticateBatch(entries, (indexes) => {
      asked.push(indexes.map((i) => entries[i]!.id));
      return indexes.map((i) => entries[i]!.id !== "a35-1" && entries[i]!.id !== "a35-0");
    });
    expect(asked[0]).toEqual(entries.slice(40).map((e) => e.id)); // round 1: every author's head
    expect(asked[1]).toEqual(["a35-0"]); // round 2: only what nobody of its author vouched for (author 3 cannot)
    const authentic = entries.filter((_, i) => result.authentic[i]).map((e) => e.id);
    expect(authentic).toEqual(entries.map((e) => e.id).filter((id) => id !== "a35-0" && id !== "a35-1"));
    expect(result.verified).toBe(41);
  });

  it("an honest batch costs one signature per author, and everything applies", () => {
    const a = testNode(0);
    const b = testNode(1);
    const log = tap(a.replica);
    tap(b.replica);
    for (let k = 0; k < 30; k++) a.board.create({ name: `a${k}`, stage: "1_backlog", agent: null });
    b.replica.receiveBatch(log);
    const fromB = tap(b.replica);
    for (let k = 0; k < 30; k++) b.board.create({ name: `b${k}`, stage: "1_backlog", agent: null });
    const all = [...log, ...fromB];
    const r = fresh();
    const results = r.receiveBatch(all);
    expect(results.every((x) => x.status === "applied")).toBe(true);
    expect(r.signaturesChecked()).toBe(2); // a's head and b's head
    expect(r.canonicalState()).toBe(b.replica.canonicalState());
  });

  it("a forged 'X' change cited only by Y is verified on its own and rejected", () => {
    const x = testIdentity(0);
    const y = testNode(1);
    const fake = forged(x, y.identity, { seq: 1, deps: [], clock: { wall: 1, logical: 0 }, ops: [create("fx")] });
    // Y, dishonest, signs a change that cites the forgery (built by hand: Y's own replica would refuse it).
    const cite = signChange({ v: CHANGE_VERSION, workspace: TEST_WORKSPACE, author: y.identity.publicKey, seq: 1, deps: [idOf(fake)], clock: { wall: 2, logical: 0 }, ops: [] }, y.identity).bytes;
    const r = fresh();
    const [f, c] = r.receiveBatch([fake, cite]);
    expect(f!.status).toBe("rejected");
    expect(f!.reason).toBe("bad signature");
    expect(c!.status).toBe("pending"); // it waits for a dep that never becomes valid
    expect(r.hasChange(idOf(fake))).toBe(false);
  });

  it("a bad signature on the head: the head is rejected, its ancestors stand on their own signatures", () => {
    const chain = chainOf(0, 6);
    const r = fresh();
    const results = r.receiveBatch([...chain.slice(0, 5), badSig(chain[5]!)]);
    expect(results.slice(0, 5).every((x) => x.status === "applied")).toBe(true);
    expect(results[5]!.status).toBe("rejected");
    expect(r.signaturesChecked()).toBe(6); // the head, then the five left unvouched
  });

  it("a bad signature on the head: an ancestor whose own signature is bad needs another same-author voucher", () => {
    const chain = chainOf(0, 4);
    const none = fresh().receiveBatch([chain[0]!, badSig(chain[1]!), badSig(chain[2]!), badSig(chain[3]!)]);
    expect(none.map((x) => x.status)).toEqual(["applied", "rejected", "rejected", "rejected"]);
    // chain[2] verifies on its own in round 2, and X's signature on it covers chain[1]'s hash.
    const some = fresh().receiveBatch([chain[0]!, badSig(chain[1]!), chain[2]!, badSig(chain[3]!)]);
    expect(some.map((x) => x.status)).toEqual(["applied", "applied", "applied", "rejected"]);
  });

  it("a valid head with a tampered ancestor: the tampered change has another id, nobody vouches for it", () => {
    const chain = chainOf(0, 4);
    const evil = tampered(chain[1]!);
    const r = fresh();
    const results = r.receiveBatch([chain[0]!, evil, chain[2]!, chain[3]!]);
    expect(results[0]!.status).toBe("applied");
    expect(results[1]!.status).toBe("rejected");
    expect(results[1]!.reason).toBe("bad signature");
    expect(results[2]!.status).toBe("pending"); // vouched for by the head, but its real dep is missing
    expect(results[3]!.status).toBe("pending");
    // The real ancestor releases both.
    expect(r.receive(chain[1]!).applied).toHaveLength(3);
  });

  it("equivocation: each branch's head vouches for its own branch only", () => {
    const x = testNode(0);
    const base = tap(x.replica);
    x.board.create({ name: "root", stage: "1_backlog", agent: null });
    // Two replicas of X's key build two branches on the same root: one seq, two changes.
    const left = testNode(3, { identity: x.identity });
    const right = testNode(4, { identity: x.identity });
    left.replica.receiveBatch(base);
    right.replica.receiveBatch(base);
    const l = tap(left.replica);
    const rr = tap(right.replica);
    for (let k = 0; k < 3; k++) left.board.create({ name: `l${k}`, stage: "1_backlog", agent: null });
    for (let k = 0; k < 3; k++) right.board.create({ name: `r${k}`, stage: "2_current", agent: null });
    const r = fresh();
    const results = r.receiveBatch([...base, ...l, ...rr]);
    expect(results.every((res) => res.status === "applied")).toBe(true);
    expect(r.signaturesChecked()).toBe(2); // one head per branch
    expect(r.equivocators()).toEqual([x.identity.publicKey]);
    // A bad head on one branch does not let the other branch's head vouch for it.
    const r2 = fresh();
    const bad = [...base, ...l, ...rr.map(badSig)];
    const st = r2.receiveBatch(bad).map((res) => res.status);
    expect(st).toEqual(["applied", "applied", "applied", "applied", "rejected", "rejected", "rejected"]);
  });

  it("a batch ending mid-chain: its last change is a head and is verified; the rest of the chain comes later", () => {
    const chain = chainOf(0, 10);
    const r = fresh();
    expect(r.receiveBatch(chain.slice(0, 5)).every((x) => x.status === "applied")).toBe(true);
    expect(r.signaturesChecked()).toBe(1);
    // A bad signature mid-batch is covered by the head that signed over it (the author signed its hash).
    expect(r.receiveBatch([...chain.slice(5, 7), badSig(chain[7]!), ...chain.slice(8)]).every((x) => x.status === "applied")).toBe(true);
    expect(r.signaturesChecked()).toBe(2);
  });

  it("pending changes: a vouched change that stays queued stands on its own signature; a queued voucher vouches for a late ancestor", () => {
    const chain = chainOf(0, 5);
    const r = fresh();
    // Head and its ancestors queue (the first two are missing): queued, so each is checked on its own.
    expect(r.receiveBatch(chain.slice(2)).map((x) => x.status)).toEqual(["pending", "pending", "pending"]);
    expect(r.signaturesChecked()).toBe(3);
    // The missing ancestor with a broken signature, its own dep still missing: it would stay queued, so it stands alone.
    expect(r.receive(badSig(chain[1]!)).status).toBe("rejected");
    expect(r.receive(chain[0]!).applied).toHaveLength(1);
    // Re-sent (what `need` does for a queued change's missing dep): now its queued voucher ends applied.
    const late = r.receive(badSig(chain[1]!));
    expect(late.status).toBe("applied");
    expect(late.applied).toHaveLength(4);
    // Without such a voucher, the same broken change is rejected.
    expect(fresh().receiveBatch([chain[0]!, badSig(chain[1]!)]).map((x) => x.status)).toEqual(["applied", "rejected"]);
  });

  it("a voucher that is itself rejected vouches for nothing: replicas that never see it decide the same", () => {
    const x = testIdentity(0);
    const first = chainOf(0, 1)[0]!;
    const f = badSig(first);
    // X, dishonest, signs a change over f that breaks the seq rule (seq 5 where 2 is due).
    const h = signChange({ v: CHANGE_VERSION, workspace: TEST_WORKSPACE, author: x.publicKey, seq: 5, deps: [idOf(first)], clock: { wall: 9_000, logical: 0 }, ops: [] }, x).bytes;
    const r = fresh();
    // Applied on h's word at first; h is then rejected, so the batch re-runs with f on its own signature.
    expect(r.receiveBatch([f, h]).map((res) => res.status)).toEqual(["rejected", "pending"]);
    expect(r.hasChange(idOf(f))).toBe(false);
    expect(r.signaturesChecked()).toBe(2);
    expect(fresh().receive(f).status).toBe("rejected");
  });
});

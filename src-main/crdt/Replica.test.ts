import { describe, expect, it } from "vitest";
import type { Change } from "./Change";
import { decodeChange, FORMAT_V1, signChange } from "./changeCodec";
import { testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";

/** Captures every change a node applies, as wire bytes. */
function capture(node: ReturnType<typeof testNode>): Uint8Array[] {
  const log: Uint8Array[] = [];
  node.replica.onApplied((e) => log.push(...e.changes));
  return log;
}

describe("Replica: delivery", () => {
  it("reports a duplicate as already seen and changes nothing", () => {
    const a = testNode(0);
    const b = testNode(1);
    const log = capture(a);
    a.board.create({ name: "one", stage: "1_backlog", agent: null });
    expect(b.replica.receive(log[0]!).status).toBe("applied");
    const before = b.replica.canonicalState();
    const again = b.replica.receive(log[0]!);
    expect(again.status).toBe("duplicate");
    expect(again.applied).toEqual([]);
    expect(b.replica.canonicalState()).toBe(before);
  });

  it("re-checks for duplicates when something was applied between preparing a batch and applying it", () => {
    const a = testNode(0);
    const b = testNode(1);
    const log = capture(a);
    a.board.create({ name: "one", stage: "1_backlog", agent: null });
    a.board.create({ name: "two", stage: "1_backlog", agent: null });
    const prepared = b.replica.prepareBatch(log);
    if (prepared instanceof Promise) throw new Error("no pool here: prepared in this thread");
    // Another batch (another peer) delivers the first change meanwhile.
    expect(b.replica.receive(log[0]!).status).toBe("applied");
    const before = b.replica.canonicalState();
    const results = b.replica.applyPrepared(prepared);
    expect(results.map((r) => r.status)).toEqual(["duplicate", "applied"]);
    expect(b.replica.stories().map((s) => s.name.value).sort()).toEqual(["one", "two"]);
    expect(b.replica.canonicalState()).not.toBe(before);
    expect(b.replica.canonicalState()).toBe(a.replica.canonicalState());
  });

  it("applies a stage update delivered before the story's creation once the creation arrives", () => {
    const a = testNode(0);
    const b = testNode(1);
    const log = capture(a);
    const s = a.board.create({ name: "one", stage: "1_backlog", agent: null });
    a.board.move(s.id, "3_qa");
    const early = b.replica.receive(log[1]!);
    expect(early.status).toBe("pending");
    expect(b.board.board().stories).toEqual([]);
    const late = b.replica.receive(log[0]!);
    expect(late.status).toBe("applied");
    expect(late.applied).toHaveLength(2);
    expect(b.board.board().stories.map((x) => x.stage)).toEqual(["3_qa"]);
    expect(b.replica.canonicalState()).toBe(a.replica.canonicalState());
  });

  it("applies a chain of three changes delivered in reverse", () => {
    const a = testNode(0);
    const b = testNode(1);
    const log = capture(a);
    const s = a.board.create({ name: "one", stage: "1_backlog", agent: null });
    a.board.update(s.id, { name: "two" });
    a.board.retry(s.id);
    expect(b.replica.receive(log[2]!).status).toBe("pending");
    expect(b.replica.receive(log[1]!).status).toBe("pending");
    const r = b.replica.receive(log[0]!);
    expect(r.applied).toEqual(log.map((x) => (decodeChange(x, TEST_WORKSPACE).ok ? (decodeChange(x, TEST_WORKSPACE) as { ok: true; value: { id: string } }).value.id : "")));
    expect(r.storyIds).toEqual([s.id]);
    expect(b.board.board().stories[0]).toMatchObject({ name: "two", retryCount: 1 });
    expect(b.replica.pendingSize().count).toBe(0);
  });

  it("rejects tampered content carrying the original id and signature", () => {
    const a = testNode(0);
    const b = testNode(1);
    const { change } = a.replica.commit([{ t: "create", story: "x", name: "real", stage: "1_backlog", rank: "aV", agent: null }]);
    const tampered = { ...change, change: { ...change.change, ops: [{ ...change.change.ops[0]!, name: "fake" }] as Change["ops"] } };
    expect(b.replica.receive(tampered)).toMatchObject({ status: "rejected", reason: "hash mismatch" });
    // Same tampering on the wire bytes: the id is recomputed, so the signature no longer matches.
    const wire = Buffer.from(change.bytes);
    const at = wire.indexOf("real", 65, "latin1");
    expect(at).toBeGreaterThan(65);
    wire.write("fake", at, "latin1");
    expect(b.replica.receive(Uint8Array.from(wire))).toMatchObject({ status: "rejected", reason: "bad signature" });
    expect(b.replica.heads()).toEqual([]);
  });

  it("rejects a change signed by K2 that claims author K1", () => {
    const k1 = testIdentity(0);
    const k2 = testIdentity(1);
    const b = testNode(2);
    const change: Change = {
      v: 1,
      workspace: TEST_WORKSPACE,
      author: k1.publicKey,
      seq: 1,
      deps: [],
      clock: { wall: 5, logical: 0 },
      ops: [{ t: "create", story: "x", name: "n", stage: "1_backlog", rank: "aV", agent: null }],
    };
    const signedByK2 = signChange({ ...change, author: k2.publicKey }, k2);
    const forged = signChange(change, k1);
    const bytes = Uint8Array.from(forged.bytes);
    bytes.set(signedByK2.sig, 1); // K2's signature (over a different id) on K1's change
    expect(b.replica.receive(bytes)).toMatchObject({ status: "rejected", reason: "bad signature" });
    // And K2 signing K1's id directly:
    const raw = Uint8Array.from(forged.bytes);
    raw.set(k2.sign(Buffer.from(forged.id, "hex")), 1);
    expect(b.replica.receive(raw)).toMatchObject({ status: "rejected", reason: "bad signature" });
  });

  it("never applies a change that depends on an invalid one", () => {
    const k = testIdentity(0);
    const b = testNode(1);
    const base = { v: 1 as const, workspace: TEST_WORKSPACE, author: k.publicKey };
    // Invalid: seq 2 with nothing in its causal past (seq must be 1).
    const bad = signChange({ ...base, seq: 2, deps: [], clock: { wall: 5, logical: 0 }, ops: [{ t: "create", story: "x", name: "n", stage: "1_backlog", rank: "aV", agent: null }] }, k);
    const child = signChange({ ...base, seq: 3, deps: [bad.id], clock: { wall: 6, logical: 0 }, ops: [{ t: "name", story: "x", value: "m" }] }, k);
    expect(b.replica.receive(bad.bytes).status).toBe("rejected");
    expect(b.replica.receive(child.bytes).status).toBe("pending");
    expect(b.replica.receive(bad.bytes).status).toBe("rejected");
    expect(b.replica.hasChange(child.id)).toBe(false);
    expect(b.replica.pendingSize().count).toBe(1);
    expect(b.board.board().stories).toEqual([]);
  });

  it("rejects an op on a story that exists locally but not in the change's causal past", () => {
    const a = testNode(0);
    const b = testNode(1);
    const c = testNode(2);
    const logA = capture(a);
    const s = a.board.create({ name: "from a", stage: "1_backlog", agent: null });
    // b never saw the creation; it forges an op on a's story with no causal link.
    const k = b.identity;
    const bogus = signChange({ v: 1, workspace: TEST_WORKSPACE, author: k.publicKey, seq: 1, deps: [], clock: { wall: 9, logical: 0 }, ops: [{ t: "name", story: s.id, value: "x" }] }, k);
    c.replica.receive(logA[0]!); // c has the story locally...
    expect(c.replica.receive(bogus.bytes)).toMatchObject({ status: "rejected" }); // ...but it is not in bogus's past
    expect(a.replica.receive(bogus.bytes)).toMatchObject({ status: "rejected" });
  });

  it("drops the oldest pending change, with a logged reason, when the queue is full", () => {
    const a = testNode(0);
    const b = testNode(1, { pendingLimits: { maxCount: 2, maxBytes: 1 << 20 } });
    const log = capture(a);
    const s = a.board.create({ name: "one", stage: "1_backlog", agent: null });
    for (let i = 0; i < 3; i++) a.board.retry(s.id);
    for (const i of [1, 2, 3]) expect(b.replica.receive(log[i]!).status).toBe("pending");
    expect(b.replica.pendingSize().count).toBe(2);
    const dropped = b.logger.lines.filter((l) => l.msg === "crdt: pending change dropped");
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.fields).toMatchObject({ reason: "pending queue full" });
    b.replica.receive(log[0]!);
    expect(b.board.board().stories[0]!.retryCount).toBe(0); // log[1] was dropped; 2 and 3 wait for it
    b.replica.receive(log[1]!);
    expect(b.board.board().stories[0]!.retryCount).toBe(3);
  });

  it("rejects garbage and non-canonical bodies without throwing", () => {
    const b = testNode(1);
    expect(b.replica.receive(new Uint8Array([1, 2, 3])).status).toBe("rejected");
    expect(b.replica.receive(new Uint8Array(200).fill(1)).status).toBe("rejected");
    const a = testNode(0);
    // Format 1 (legacy JSON) stays accepted, so its canonical rule stays enforced (format 2: changeCodec.test.ts).
    const change = signChange(a.replica.commit([{ t: "create", story: "x", name: "n", stage: "1_backlog", rank: "aV", agent: null }]).change.change, a.identity, FORMAT_V1);
    const spaced = Buffer.concat([Buffer.from(change.bytes.subarray(0, 65)), Buffer.from(" "), Buffer.from(change.bytes.subarray(65))]);
    expect(b.replica.receive(Uint8Array.from(spaced))).toMatchObject({ status: "rejected", reason: "body is not canonical JSON" });
  });

  it("accepts an equivocating author's two branches, flags the author, and converges", () => {
    const k = testIdentity(0);
    const b = testNode(1);
    const c = testNode(2);
    const base = { v: 1 as const, workspace: TEST_WORKSPACE, author: k.publicKey };
    const root = signChange({ ...base, seq: 1, deps: [], clock: { wall: 5, logical: 0 }, ops: [{ t: "create", story: "x", name: "n", stage: "1_backlog", rank: "aV", agent: null }] }, k);
    const left = signChange({ ...base, seq: 2, deps: [root.id], clock: { wall: 6, logical: 0 }, ops: [{ t: "name", story: "x", value: "left" }] }, k);
    const right = signChange({ ...base, seq: 2, deps: [root.id], clock: { wall: 6, logical: 1 }, ops: [{ t: "create", story: "y", name: "y", stage: "1_backlog", rank: "aW", agent: null }] }, k);
    // Depends on `left` only: story y (created on the other branch) is not in its past.
    const onLeft = signChange({ ...base, seq: 3, deps: [left.id], clock: { wall: 7, logical: 0 }, ops: [{ t: "name", story: "y", value: "bad" }] }, k);
    b.replica.receiveBatch([root.bytes, left.bytes, right.bytes, onLeft.bytes]);
    c.replica.receiveBatch([onLeft.bytes, right.bytes, left.bytes, root.bytes]);
    expect(b.replica.equivocators()).toEqual([k.publicKey]);
    expect(c.replica.equivocators()).toEqual([k.publicKey]);
    expect(b.replica.hasChange(onLeft.id)).toBe(false);
    expect(c.replica.hasChange(onLeft.id)).toBe(false);
    expect(b.replica.canonicalState()).toBe(c.replica.canonicalState());
  });
});

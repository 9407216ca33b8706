/**
 * Membership validity and the deterministic rules for the hard cases
 * (docs/PROTOCOL.md §Membership): every case is checked on several replicas
 * that receive the same changes in different orders.
 */
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { CHANGE_VERSION, type Change } from "./Change";
import { signChange } from "./changeCodec";
import { identityFromSeed } from "./Identity";
import { admit, deliver, GENESIS_NONCE, idOf, joinVia, memberNode, type MemberNode } from "../../test/support/crdt/membershipTestKit";
import { joinOp, workspaceIdOf } from "./membershipOps";

const keyOf = (n: MemberNode): string => n.identity.publicKey;
const roster = (n: MemberNode): string => JSON.stringify(n.membership.list());

function crafted(n: MemberNode, fields: Partial<Change> & Pick<Change, "ops">): Uint8Array {
  const change: Change = {
    v: CHANGE_VERSION,
    workspace: n.replica.workspace,
    author: keyOf(n),
    seq: (n.replica.authorSeqs().get(keyOf(n)) ?? 0) + 1,
    deps: n.replica.heads().sort(),
    clock: { wall: n.clock.t, logical: 0 },
    ...fields,
  };
  return signChange(change, n.identity).bytes;
}

describe("membership", () => {
  it("the founder's genesis makes it the first admin; the workspace id commits to its key", () => {
    const a = memberNode(0);
    a.board.create({ name: "first", stage: "1_backlog", agent: null });
    expect(a.membership.list()).toMatchObject([{ nodeId: keyOf(a), role: "admin", addedBy: null, removed: false }]);
    expect(a.replica.workspace).toBe(workspaceIdOf(keyOf(a), GENESIS_NONCE));
    // Another key cannot found the same workspace with the same nonce.
    const mallory = memberNode(5);
    const fake = crafted(mallory, { seq: 1, deps: [], ops: [{ t: "genesis", nonce: GENESIS_NONCE, name: "mallory" }] });
    expect(memberNode(1).replica.receive(fake)).toMatchObject({ status: "rejected", reason: "genesis does not found this workspace" });
  });

  it("a change by a non-member is rejected everywhere; a local write of a non-member is a forbidden error", () => {
    const a = memberNode(0);
    a.board.create({ name: "x", stage: "1_backlog", agent: null });
    const stranger = memberNode(3);
    deliver(a, stranger);
    expect(() => stranger.board.create({ name: "intruder", stage: "1_backlog", agent: null })).toThrow(ApiFailure);
    const forged = crafted(stranger, { ops: [{ t: "limit", stage: "1_backlog", limit: 1 }] });
    expect(a.replica.receive(forged)).toMatchObject({ status: "rejected", reason: "author is not a member in the change's causal past" });
  });

  it("an invite admits exactly one device: a second join of it in the same past is rejected", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    const c = memberNode(2);
    joinVia(a, b, "member", 77);
    deliver(b, a);
    expect(a.membership.isMember(keyOf(b))).toBe(true);
    expect(a.membership.list().find((m) => m.nodeId === keyOf(b))).toMatchObject({ name: "device 1", role: "member", addedBy: keyOf(a) });
    deliver(a, c);
    const again = crafted(c, { ops: [joinOp(identityFromSeed(new Uint8Array(32).fill(77)), a.replica.workspace, keyOf(c))] });
    expect(a.replica.receive(again)).toMatchObject({ status: "rejected", reason: "join: the invite was already used in the change's causal past" });
  });

  it("a join needs the invite key's proof for its own author", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    a.replica.found();
    const invite = identityFromSeed(new Uint8Array(32).fill(50));
    a.replica.commit([{ t: "invite", key: invite.publicKey, name: "b", role: "member", expires: null }]);
    deliver(a, b);
    const stolen = joinOp(invite, a.replica.workspace, keyOf(memberNode(2))); // a proof made for another device
    expect(a.replica.receive(crafted(b, { ops: [stolen] }))).toMatchObject({ status: "rejected", reason: "join: bad invite proof" });
  });

  it("an expired invite cannot be redeemed (expiry bounds the join's effective clock)", () => {
    const a = memberNode(0);
    const b = memberNode(1, 50_000);
    a.replica.found();
    const invite = identityFromSeed(new Uint8Array(32).fill(51));
    a.replica.commit([{ t: "invite", key: invite.publicKey, name: "b", role: "member", expires: 10_000 }]);
    deliver(a, b);
    const late = crafted(b, { clock: { wall: 50_000, logical: 0 }, ops: [joinOp(invite, a.replica.workspace, keyOf(b))] });
    expect(a.replica.receive(late)).toMatchObject({ status: "rejected", reason: "join: the invite expired" });
  });

  it("a plain member cannot change membership", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    admit(a, b);
    expect(b.membership.isAdmin(keyOf(b))).toBe(false);
    const invite = crafted(b, { ops: [{ t: "invite", key: "cd".repeat(32), name: "z", role: "admin", expires: null }] });
    expect(a.replica.receive(invite)).toMatchObject({ status: "rejected", reason: "invite: only an admin may change membership" });
    const remove = crafted(b, { ops: [{ t: "remove", key: keyOf(a) }] });
    expect(a.replica.receive(remove)).toMatchObject({ status: "rejected", reason: "remove: only an admin may change membership" });
  });

  it("removal: edits concurrent with it stand; edits with the removal in their past are refused; earlier edits stay", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    admit(a, b);
    const early = b.board.create({ name: "before removal", stage: "1_backlog", agent: null });
    deliver(b, a);
    a.replica.commit([{ t: "remove", key: keyOf(b) }]);
    b.clock.t += 10;
    const concurrent = b.board.create({ name: "concurrent with removal", stage: "1_backlog", agent: null });
    const c = memberNode(2);
    deliver(a, c);
    deliver(b, c);
    deliver(b, a);
    for (const n of [a, c]) {
      expect(n.replica.story(early.id)).toBeDefined();
      expect(n.replica.story(concurrent.id)).toBeDefined();
      expect(n.membership.isMember(keyOf(b))).toBe(false);
    }
    // Once b holds its removal it cannot write, and a forged change citing it is refused.
    deliver(a, b);
    expect(() => b.board.create({ name: "after", stage: "1_backlog", agent: null })).toThrow(/not a member/);
    const after = crafted(b, { ops: [{ t: "limit", stage: "1_backlog", limit: 3 }] });
    expect(a.replica.receive(after)).toMatchObject({ status: "rejected", reason: "author is not a member in the change's causal past" });
    expect(roster(a)).toBe(roster(c));
    expect(a.replica.canonicalState()).toBe(c.replica.canonicalState());
  });

  it("two admins removing each other concurrently: the earlier removal (effective clock, then id) wins, the other is void", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    admit(a, b, "admin");
    a.clock.t = 5_000;
    b.clock.t = 6_000;
    a.replica.commit([{ t: "remove", key: keyOf(b) }]); // earlier
    b.replica.commit([{ t: "remove", key: keyOf(a) }]);
    const ab = [...a.log];
    const ba = [...b.log];
    const x = memberNode(2);
    const y = memberNode(3);
    x.replica.receiveBatch([...ab, ...ba]);
    y.replica.receiveBatch([...ba, ...ab]);
    for (const n of [x, y]) {
      expect(n.membership.isAdmin(keyOf(a))).toBe(true);
      expect(n.membership.isMember(keyOf(b))).toBe(false);
    }
    expect(roster(x)).toBe(roster(y));
  });

  it("one invite redeemed by two devices in a partition: the earlier join wins; the other device's later writes are refused", () => {
    const a = memberNode(0);
    const b = memberNode(1, 2_000);
    const c = memberNode(2, 3_000);
    a.replica.found();
    const invite = identityFromSeed(new Uint8Array(32).fill(60));
    a.replica.commit([{ t: "invite", key: invite.publicKey, name: "one device", role: "member", expires: null }]);
    deliver(a, b);
    deliver(a, c);
    const jb = b.replica.commit([joinOp(invite, a.replica.workspace, keyOf(b))]).change.bytes;
    const jc = c.replica.commit([joinOp(invite, a.replica.workspace, keyOf(c))]).change.bytes;
    // Both joins are valid (each in its own past) and reach every replica, in either order.
    const x = memberNode(4);
    const y = memberNode(5);
    x.replica.receiveBatch([...a.log, jb, jc]);
    y.replica.receiveBatch([...a.log, jc, jb]);
    for (const n of [x, y]) {
      expect(n.replica.hasChange(idOf(jb)) && n.replica.hasChange(idOf(jc))).toBe(true);
      expect(n.membership.isMember(keyOf(b))).toBe(true);
      expect(n.membership.isMember(keyOf(c))).toBe(false);
    }
    expect(roster(x)).toBe(roster(y));
    // c, once it holds b's join, is not a member: its writes on top are refused.
    c.replica.receive(jb);
    expect(() => c.board.create({ name: "late", stage: "1_backlog", agent: null })).toThrow(/not a member/);
  });

  it("a removed device can be re-added by a new invite (its join has the removal in its past)", () => {
    const a = memberNode(0);
    const b = memberNode(1);
    admit(a, b);
    a.replica.commit([{ t: "remove", key: keyOf(b) }]);
    deliver(a, b);
    expect(b.membership.isMember(keyOf(b))).toBe(false);
    joinVia(a, b, "member", 90);
    deliver(b, a);
    expect(a.membership.isMember(keyOf(b))).toBe(true);
    b.board.create({ name: "back", stage: "1_backlog", agent: null });
    deliver(b, a);
    expect(a.replica.stories().map((s) => s.id)).toContain("s1-0");
  });

});

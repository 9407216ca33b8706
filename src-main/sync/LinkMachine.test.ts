/**
 * The link state machine alone: inputs in, actions out, no socket, no timer,
 * no clock. These pin the exact boundaries that the in-memory pair tests
 * (PeerLink.memory.test.ts) exercise end to end.
 */
import { describe, expect, it } from "vitest";
import { changeIdOfBytes } from "../crdt/changeCodec";
import { Ed25519Verifier } from "../crdt/Ed25519Verifier";
import type { ReceiveResult } from "../crdt/Replica";
import { testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { handshakeChallenge } from "./handshakeChallenge";
import type { LinkAction } from "./LinkAction";
import { LinkMachine, type LinkMachineHost } from "./LinkMachine";
import { SyncCloseCode } from "./SyncCloseCode";
import { encodeControl, packChanges } from "./SyncFrame";
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from "./SyncLimits";
import type { SyncMessage } from "./SyncMessage";

const idOf = (c: Uint8Array): string => changeIdOfBytes(c, TEST_WORKSPACE);
const ok = (id: string): ReceiveResult => ({ status: "applied", id, applied: [id], storyIds: [] });

/** A server-side machine past the handshake with client key 7, and changes by another author to feed it. */
function authedServer(limits: Partial<SyncLimits> = {}, count = 6) {
  const node = testNode(0);
  const author = testNode(2);
  const own: Uint8Array[] = [];
  author.replica.onApplied((e) => own.push(...e.changes));
  for (let k = 0; k < count; k++) author.board.create({ name: `c${k}`, stage: "1_backlog", agent: null });
  const client = testIdentity(7);
  const machine = new LinkMachine({
    direction: "in",
    nonce: "ab".repeat(32),
    now: 0,
    host: {
      replica: node.replica,
      identity: node.identity,
      limits: { ...DEFAULT_SYNC_LIMITS, ...limits },
      log: node.logger,
      verifier: new Ed25519Verifier(),
      admit: () => null,
      inviteSigner: () => null,
      syncMessage: () => ({ t: "sync", vec: [], heads: [] }),
    },
  });
  machine.start();
  const workspace = node.replica.workspace;
  const p = { workspace, serverKey: node.identity.publicKey, clientKey: client.publicKey, serverNonce: "ab".repeat(32), clientNonce: "cd".repeat(32) };
  const auth: SyncMessage = { t: "auth", workspace, node: client.publicKey, nonce: "cd".repeat(32), sig: Buffer.from(client.sign(handshakeChallenge("client", p))).toString("hex") };
  const acts = machine.frame(encodeControl(auth), true, 0);
  expect(acts.map((a) => a.t)).toEqual(["control", "frameLimit", "control", "authed", "changed"]);
  expect(machine.state).toBe("syncing");
  return { machine, changes: own, logger: node.logger };
}

const frameOf = (changes: readonly Uint8Array[]): Buffer => packChanges(changes, 1024 * 1024).frames[0]!;
const kinds = (acts: readonly LinkAction[]): string[] => acts.map((a) => (a.t === "control" ? `control:${a.message.t}` : a.t));

describe("LinkMachine", () => {
  it("holds live changes while the catch-up is planned, then sends them after it minus those the plan carries", () => {
    const { machine, changes } = authedServer();
    const [c1, c2, c3] = changes as [Uint8Array, Uint8Array, Uint8Array];
    expect(machine.sendLive([c1], undefined)).toEqual([]); // before its `sync`: not live yet, nothing sent or held
    expect(machine.frame(encodeControl({ t: "sync", vec: [], heads: [] }), true, 0)).toEqual([{ t: "drainLater" }]);
    const planning = machine.drain(0);
    expect(kinds(planning)).toEqual(["delivered", "plan"]);
    expect(machine.sendLive([c2, c3], undefined)).toEqual([]); // held
    const after = machine.planned([idOf(c1), idOf(c2)]);
    expect(after).toEqual([
      { t: "control", message: { t: "plan", count: 2 } },
      { t: "catchUp", ids: [idOf(c1), idOf(c2)], ownSeq: undefined },
      { t: "control", message: { t: "ready" } },
      { t: "changes", changes: [c3], ownSeq: undefined }, // c2 went in the catch-up: sent once
      { t: "changed" },
      { t: "drainLater" },
    ]);
    // From now on live changes go out at once.
    expect(machine.sendLive([c1], 4)).toEqual([{ t: "changes", changes: [c1], ownSeq: 4 }]);
  });

  it("says the peer's catch-up is applied once its `ready` is dequeued, after the results of its last changes", () => {
    const { machine, changes } = authedServer({ applyChunk: 4 });
    machine.frame(encodeControl({ t: "plan", count: 6 }), true, 0);
    machine.frame(frameOf(changes), true, 0);
    machine.frame(encodeControl({ t: "ready" }), true, 0);
    const first = machine.drain(0);
    expect(kinds(first)).toEqual(["changed", "apply"]);
    const applied = (acts: readonly LinkAction[]): ReceiveResult[] => acts.flatMap((a) => (a.t === "apply" ? a.changes.map((c) => ok(idOf(c))) : []));
    expect(kinds(machine.applied(applied(first), 1))).toEqual(["changed", "drainLater"]); // two changes still to apply
    const second = machine.drain(2);
    expect(kinds(second)).toEqual(["apply"]);
    expect(kinds(machine.applied(applied(second), 3))).toContain("caughtUp");
  });

  it("closes 4006 when held changes outgrow the send bound during a long plan", () => {
    const { machine, changes } = authedServer({ maxQueuedBytes: 500 }); // six changes of ~170 B
    machine.frame(encodeControl({ t: "sync", vec: [], heads: [] }), true, 0);
    machine.drain(0);
    const acts = machine.sendLive(changes, undefined);
    expect(acts).toEqual([{ t: "close", code: SyncCloseCode.lagging, reason: "peer lags: live changes held during planning over the bound" }]);
    expect(machine.planned([])).toEqual([]); // closed: the late plan sends nothing
  });

  it("asks to pause above maxRecvQueueBytes and to resume once at most half is left", () => {
    const { changes } = authedServer();
    const frames = changes.slice(0, 3).map((c) => frameOf([c]));
    const size = frames[0]!.length;
    const { machine } = authedServer({ maxRecvQueueBytes: Math.floor(size * 2.5), applyChunk: 1 });
    expect(machine.frame(frames[0]!, true, 0)).toEqual([{ t: "drainLater" }]);
    expect(machine.frame(frames[1]!, true, 0)).toEqual([{ t: "drainLater" }]);
    expect(machine.frame(frames[2]!, true, 0)).toEqual([{ t: "pause" }, { t: "drainLater" }]); // 3 frames > 2.5
    // Turn 1 applies one frame: two left, over half the budget (1.25): still paused.
    const turn1 = machine.drain(0);
    expect(kinds(turn1)).toEqual(["apply"]);
    expect(kinds(machine.applied([ok(idOf(changes[0]!))], 1))).toEqual(["changed", "drainLater"]);
    // Turn 2: one left, under half: resume.
    machine.drain(2);
    expect(kinds(machine.applied([ok(idOf(changes[1]!))], 3))).toEqual(["changed", "resume", "drainLater"]);
  });

  it("prechecks the frame after the chunk handed out, split into the chunks it will be applied in, and applies those chunks whole", () => {
    const { machine, changes } = authedServer({ applyChunk: 25 }, 85);
    const applied = (acts: readonly LinkAction[]): Uint8Array[] => acts.flatMap((a) => (a.t === "apply" ? a.changes : []));
    const done = (slice: readonly Uint8Array[], now: number): LinkAction[] => machine.applied(slice.map((c) => ok(idOf(c))), now);
    machine.frame(frameOf(changes.slice(0, 25)), true, 0);
    machine.frame(frameOf(changes.slice(25, 85)), true, 0);
    // Turn 1 hands out the first frame; the second waits, so its checks start now, in three parts of the chunk size or less.
    const turn1 = machine.drain(0);
    expect(kinds(turn1)).toEqual(["precheck", "apply"]);
    const parts = turn1.flatMap((a) => (a.t === "precheck" ? a.parts : []));
    expect(parts.map((p) => p.map(idOf))).toEqual([changes.slice(25, 45), changes.slice(45, 65), changes.slice(65, 85)].map((p) => p.map(idOf)));
    expect(applied(turn1)).toHaveLength(25);
    expect(kinds(done(applied(turn1), 1))).toEqual(["changed", "drainLater"]);
    // Each later chunk is one part, whole: the part that no longer fits a turn's budget waits for the next turn.
    for (const part of parts) {
      const acts = machine.drain(2);
      expect(applied(acts).map(idOf)).toEqual(part.map(idOf));
      expect(kinds(acts)).toEqual(["apply"]); // prechecked once, never again
      done(applied(acts), 3);
    }
    expect(machine.drain(4)).toEqual([]);
  });

  it("closes 4009 once more than maxRejectedChanges are rejected, with one summary line, applying nothing after", () => {
    const { machine, changes, logger } = authedServer({ maxRejectedChanges: 2, applyChunk: 2 });
    machine.frame(frameOf(changes.slice(0, 4)), true, 0);
    machine.frame(frameOf(changes.slice(4, 6)), true, 0);
    const rejected = (c: Uint8Array): ReceiveResult => ({ status: "rejected", id: idOf(c), reason: "bad signature", applied: [], storyIds: [] });
    expect(kinds(machine.drain(0))).toEqual(["apply"]);
    expect(kinds(machine.applied(changes.slice(0, 2).map(rejected), 0))).toEqual(["changed", "drainLater"]); // 2: at the limit, not past it
    expect(kinds(machine.drain(0))).toEqual(["apply"]);
    const acts = machine.applied(changes.slice(2, 4).map(rejected), 0);
    expect(acts).toEqual([{ t: "close", code: SyncCloseCode.invalidChanges, reason: "more than 2 invalid changes" }]);
    expect(machine.drain(0)).toEqual([]); // the rest of the queue is dropped unread
    expect(logger.lines.filter((l) => l.msg === "sync: peer sent too many invalid changes")).toHaveLength(1);
    expect(logger.lines.filter((l) => l.msg === "sync: change from peer rejected")).toHaveLength(4);
  });

  it("asks `need` for missing heads at most maxNeedRounds times, and each id once", () => {
    const { machine, changes, logger } = authedServer({ maxNeedRounds: 1 });
    const heads = ["11".repeat(32), "22".repeat(32)];
    machine.frame(encodeControl({ t: "sync", vec: [], heads }), true, 0);
    machine.drain(0);
    machine.planned([]);
    machine.frame(encodeControl({ t: "plan", count: 0 }), true, 0);
    machine.frame(encodeControl({ t: "ready" }), true, 0);
    const first = machine.drain(0);
    expect(first).toContainEqual({ t: "control", message: { t: "need", ids: heads } });
    machine.frame(encodeControl({ t: "ready" }), true, 0);
    const second = machine.drain(0);
    expect(second.some((a) => a.t === "control" && a.message.t === "need")).toBe(false); // asked once already
    expect(machine.state).toBe("live");
    // A change whose dep we lack arrives (pending): its dep is missing, but the one round allowed is spent.
    machine.frame(frameOf([changes[1]!]), true, 0);
    machine.drain(0);
    machine.applied([{ status: "pending", id: idOf(changes[1]!), applied: [], storyIds: [] }], 0);
    machine.frame(encodeControl({ t: "ready" }), true, 0);
    const third = machine.drain(0);
    expect(third.some((a) => a.t === "control" && a.message.t === "need")).toBe(false);
    expect(logger.lines.find((l) => l.msg === "sync: still missing changes after the last need round")?.fields.missing).toBe(1);
  });

  it("refuses changes before the handshake, and times the handshake out only at its deadline", () => {
    const node = testNode(0);
    const host: LinkMachineHost = {
      replica: node.replica,
      identity: node.identity,
      limits: { ...DEFAULT_SYNC_LIMITS, handshakeTimeoutMs: 1_000 },
      log: node.logger,
      verifier: new Ed25519Verifier(),
      admit: () => null,
      inviteSigner: () => null,
      syncMessage: () => ({ t: "sync", vec: [], heads: [] }),
    };
    const early = new LinkMachine({ direction: "in", nonce: "ab".repeat(32), now: 0, host });
    early.start();
    expect(early.frame(Buffer.from([3, 2, 0, 1, 0]), true, 0)).toEqual([{ t: "close", code: SyncCloseCode.badFrame, reason: "changes before the handshake" }]);
    const slow = new LinkMachine({ direction: "in", nonce: "ab".repeat(32), now: 5_000, host });
    slow.start();
    expect(slow.nextWake()).toBe(6_000);
    expect(slow.tick(5_999)).toEqual([]);
    expect(slow.tick(6_000)).toEqual([{ t: "close", code: SyncCloseCode.handshakeTimeout, reason: "handshake timed out" }]);
    expect(slow.nextWake()).toBeNull();
  });
});

/**
 * The sync invariants, deterministically: two SyncServices (real replicas,
 * real PeerLinks and LinkMachines) over an in-memory PeerSocket pair and a
 * hand-stepped scheduler. Nothing moves until the test delivers frames or
 * runs turns, so "a change committed while the catch-up is planned" is a
 * line of the test, not a race. (The same behaviour over real sockets:
 * SyncService.*.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { changeIdOfBytes } from "../crdt/changeCodec";
import { testIdentity, testNode, TEST_WORKSPACE, type TestNode } from "../../test/support/crdt/testKit";
import { ManualLinkScheduler } from "../../test/support/sync/manualLinkScheduler";
import { memoryPeerSocketPair, type MemoryPeerSocket, type MemoryPeerSocketPair } from "../../test/support/sync/memoryPeerSocketPair";
import { handshakeChallenge } from "./handshakeChallenge";
import { SyncCloseCode } from "./SyncCloseCode";
import { decodeSyncFrame, encodeControl, packChanges } from "./SyncFrame";
import type { SyncLimits } from "./SyncLimits";
import type { SyncMessage } from "./SyncMessage";
import { SyncService } from "./SyncService";

interface MemNode extends TestNode {
  sync: SyncService;
  /** Bytes of every change this node committed, in order. */
  own: Uint8Array[];
}

const services: SyncService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

function memNode(i: number, sched: ManualLinkScheduler, limits: Partial<SyncLimits> = {}, trustedKeys?: string[]): MemNode {
  const node = testNode(i);
  const sync = new SyncService({ replica: node.replica, identity: node.identity, log: node.logger, limits, scheduler: sched, ...(trustedKeys ? { trustedKeys } : {}) });
  services.push(sync);
  const own: Uint8Array[] = [];
  node.replica.onApplied((e) => e.local && own.push(...e.changes));
  return { ...node, sync, own };
}

function create(n: MemNode, count: number): void {
  for (let k = 0; k < count; k++) n.board.create({ name: `${n.identity.publicKey.slice(0, 4)}-${n.own.length}`, stage: "1_backlog", agent: null });
}

/** Delivers frames and runs turns until nothing moves (plans resolve between rounds). */
async function settle(pair: MemoryPeerSocketPair, sched: ManualLinkScheduler): Promise<void> {
  let idle = 0;
  for (let round = 0; round < 10_000 && idle < 3; round++) {
    const moved = pair.deliver() + sched.runSoon();
    await new Promise((r) => setImmediate(r));
    idle = moved === 0 ? idle + 1 : 0;
  }
}

/** What one side wrote, frame by frame: control messages by type, changes by id. */
function transcript(socket: MemoryPeerSocket): string[] {
  return socket.sent.map((bytes) => {
    const f = decodeSyncFrame(bytes);
    if (!f.ok) return `bad:${f.reason}`;
    if (f.kind === "changes") return `changes:${f.changes.map((c) => changeIdOfBytes(c, TEST_WORKSPACE)).join(",")}`;
    return f.message.t === "plan" ? `plan:${f.message.count}` : f.message.t;
  });
}

function changeIds(lines: readonly string[]): string[] {
  return lines.filter((l) => l.startsWith("changes:")).flatMap((l) => l.slice("changes:".length).split(","));
}

const idOf = (c: Uint8Array): string => changeIdOfBytes(c, TEST_WORKSPACE);

/** A hand-driven client on the other end of `socket`: frames it received, and a valid `auth` for the server's hello. */
function rawClient(socket: MemoryPeerSocket, workspace: string, identity = testIdentity(7)) {
  const got: SyncMessage[] = [];
  socket.listen({ open: () => undefined, heartbeat: () => undefined, error: () => undefined, close: () => undefined, frame: (b) => {
    const f = decodeSyncFrame(b);
    if (f.ok && f.kind === "control") got.push(f.message);
  } });
  const send = (m: SyncMessage): void => socket.send(encodeControl(m), () => undefined);
  const auth = (): void => {
    const hello = got.find((m) => m.t === "hello");
    if (hello?.t !== "hello") throw new Error("no hello yet");
    const nonce = "cd".repeat(32);
    const p = { workspace, serverKey: hello.node, clientKey: identity.publicKey, serverNonce: hello.nonce, clientNonce: nonce };
    send({ t: "auth", workspace, node: identity.publicKey, nonce, sig: Buffer.from(identity.sign(handshakeChallenge("client", p))).toString("hex") });
  };
  return { got, send, auth, identity };
}

describe("sync over an in-memory PeerSocket pair (deterministic)", () => {
  it("sends every change exactly once: what the peer lacks in the catch-up, later ones live, nothing echoed", async () => {
    const sched = new ManualLinkScheduler();
    const a = memNode(0, sched);
    const b = memNode(1, sched);
    create(a, 5);
    create(b, 3);
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    b.sync.attach(pair.client, "out");
    await settle(pair, sched);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
    expect(a.sync.status().peers[0]?.state).toBe("live");
    expect(b.sync.status().peers[0]?.state).toBe("live");

    create(a, 2);
    create(b, 1);
    await settle(pair, sched);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
    // a → b: a's 7 changes, each once; b → a: b's 4, each once; neither echoes the other's.
    expect(changeIds(transcript(pair.server)).sort()).toEqual(a.own.map(idOf).sort());
    expect(changeIds(transcript(pair.client)).sort()).toEqual(b.own.map(idOf).sort());
    expect(transcript(pair.server).slice(0, 6)).toEqual(["hello", "welcome", "sync", "plan:5", `changes:${a.own.slice(0, 5).map(idOf).join(",")}`, "ready"]);
  });

  it("holds changes applied while the catch-up is planned and sends them once, right after it", async () => {
    const sched = new ManualLinkScheduler();
    const a = memNode(0, sched);
    const b = memNode(1, sched);
    create(a, 4);
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    b.sync.attach(pair.client, "out");
    pair.deliver(); // hello → auth + sync → welcome + sync: both handshakes done, both `sync`s queued
    sched.runSoon(); // both apply the other's `sync`: their catch-up plans start
    expect(transcript(pair.server)).toEqual(["hello", "welcome", "sync"]);
    create(a, 2); // committed while a plans b's catch-up (the plan covers a's vector when it began)
    expect(transcript(pair.server)).toEqual(["hello", "welcome", "sync"]); // held, not sent before the catch-up
    await settle(pair, sched);
    const early = a.own.slice(0, 4).map(idOf);
    const late = a.own.slice(4).map(idOf);
    expect(transcript(pair.server).slice(3)).toEqual(["plan:4", `changes:${early.join(",")}`, "ready", `changes:${late[0]}`, `changes:${late[1]}`]);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
  });

  it("pauses reading above the receive budget and resumes once half of it is applied", async () => {
    const sched = new ManualLinkScheduler();
    const limits = { maxRecvQueueBytes: 4_000, maxFrameBytes: 2_500, applyChunk: 4 };
    const a = memNode(0, sched, limits);
    const b = memNode(1, sched, limits);
    create(a, 60);
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    b.sync.attach(pair.client, "out");
    pair.deliver();
    sched.runSoon();
    await new Promise((r) => setImmediate(r)); // a's plan resolves: the catch-up is queued
    pair.deliver();
    // b read frames until its queue passed 4,000 bytes, then stopped: the rest waits on the wire (TCP backpressure).
    expect(pair.client.paused).toBe(true);
    expect(pair.client.inbox.length).toBeGreaterThan(0);
    const waiting = pair.server.bufferedAmount;
    expect(waiting).toBeGreaterThan(0);
    // One turn applies at most `applyChunk` changes: still above half the budget, still paused.
    sched.runSoon();
    expect(pair.client.paused).toBe(true);
    expect(pair.deliver()).toBe(0);
    await settle(pair, sched);
    expect(pair.client.pauses).toBeGreaterThan(0);
    expect(pair.client.resumes).toBe(pair.client.pauses);
    expect(a.replica.canonicalState()).toBe(b.replica.canonicalState());
  });

  it("closes with 4009 after too many invalid changes, applying none of them", async () => {
    const sched = new ManualLinkScheduler();
    const a = memNode(0, sched, { maxRejectedChanges: 3 });
    const author = memNode(2, sched);
    create(author, 6);
    const forged = author.own.map((c) => {
      const copy = Uint8Array.from(c);
      copy[5] = copy[5]! ^ 0xff; // inside the signature
      return copy;
    });
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    const peer = rawClient(pair.client, a.replica.workspace);
    pair.deliver();
    peer.auth();
    peer.send({ t: "sync", vec: [], heads: [] });
    for (const f of packChanges(forged, 1024 * 1024).frames) pair.client.send(f, () => undefined);
    await settle(pair, sched);
    expect(pair.client.closed?.code).toBe(SyncCloseCode.invalidChanges);
    expect(a.replica.stories()).toHaveLength(0);
    const summary = a.logger.lines.filter((l) => l.msg === "sync: peer sent too many invalid changes");
    expect(summary).toHaveLength(1);
    // Counted per applied chunk: the six arrived in one frame and were tallied before the close.
    expect(summary[0]!.fields.rejected).toBe(6);
  });

  it("refuses before the handshake: changes (4000), an oversized frame (1009), an untrusted key (4004), silence (4005)", async () => {
    const sched = new ManualLinkScheduler();
    const trusted = testIdentity(8).publicKey;
    const a = memNode(0, sched, { handshakeTimeoutMs: 1_000 }, [trusted]);
    const author = memNode(2, sched);
    create(author, 1);

    const p1 = memoryPeerSocketPair();
    a.sync.attach(p1.server, "in");
    rawClient(p1.client, a.replica.workspace);
    p1.client.send(packChanges(author.own, 1024 * 1024).frames[0]!, () => undefined);
    await settle(p1, sched);
    expect(p1.client.closed).toEqual({ code: SyncCloseCode.badFrame, reason: "changes before the handshake" });

    const p2 = memoryPeerSocketPair();
    a.sync.attach(p2.server, "in");
    rawClient(p2.client, a.replica.workspace);
    p2.client.send(Buffer.alloc(5_000, 1), () => undefined); // over maxPreAuthFrameBytes: refused on its header
    await settle(p2, sched);
    expect(p2.server.closed?.code).toBe(SyncCloseCode.tooBig);
    expect(p2.client.closed?.code).toBe(1006); // a peer that proved nothing gets no closing handshake

    const p3 = memoryPeerSocketPair();
    a.sync.attach(p3.server, "in");
    const stranger = rawClient(p3.client, a.replica.workspace, testIdentity(9));
    p3.deliver();
    stranger.auth();
    await settle(p3, sched);
    expect(p3.client.closed).toEqual({ code: SyncCloseCode.untrusted, reason: "node key is not trusted" });

    const p4 = memoryPeerSocketPair();
    a.sync.attach(p4.server, "in");
    rawClient(p4.client, a.replica.workspace);
    await settle(p4, sched);
    expect(p4.client.closed).toBeNull();
    sched.advance(999);
    await settle(p4, sched);
    expect(p4.client.closed).toBeNull();
    sched.advance(1);
    await settle(p4, sched);
    expect(p4.client.closed).toEqual({ code: SyncCloseCode.handshakeTimeout, reason: "handshake timed out" });
    expect(a.sync.status().peers).toHaveLength(0);
  });

  it("answers at most maxNeedRounds `need`s with changes, then with empty batches", async () => {
    const sched = new ManualLinkScheduler();
    const a = memNode(0, sched, { maxNeedRounds: 2 });
    create(a, 3);
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    const peer = rawClient(pair.client, a.replica.workspace);
    pair.deliver();
    peer.auth();
    // It claims to hold everything (so the catch-up is empty), then asks for a's heads again and again.
    peer.send({ t: "sync", vec: [[a.identity.publicKey, 3]], heads: [] });
    for (let k = 0; k < 4; k++) peer.send({ t: "need", ids: a.replica.heads() });
    await settle(pair, sched);
    const plans = transcript(pair.server).filter((l) => l.startsWith("plan:"));
    expect(plans).toEqual(["plan:0", "plan:1", "plan:1", "plan:0", "plan:0"]);
    expect(pair.client.closed).toBeNull();
  });

  it("drops a peer silent for two ping intervals, not one that answers", async () => {
    const sched = new ManualLinkScheduler();
    const a = memNode(0, sched, { pingIntervalMs: 1_000 });
    const b = memNode(1, sched, { pingIntervalMs: 60_000 });
    const pair = memoryPeerSocketPair();
    a.sync.attach(pair.server, "in");
    b.sync.attach(pair.client, "out");
    await settle(pair, sched);
    for (let k = 0; k < 5; k++) {
      sched.advance(1_000);
      await settle(pair, sched);
    }
    expect(pair.server.closed).toBeNull();
    pair.client.pause(); // b stops reading: a's pings go unanswered (b's own ping comes much later)
    sched.advance(1_000);
    await settle(pair, sched);
    expect(a.sync.status().peers).toHaveLength(1);
    sched.advance(1_000);
    await settle(pair, sched);
    expect(a.logger.lines.some((l) => l.msg === "sync: closing link" && l.fields.code === SyncCloseCode.unresponsive)).toBe(true);
    expect(a.sync.status().peers).toHaveLength(0);
  });
});

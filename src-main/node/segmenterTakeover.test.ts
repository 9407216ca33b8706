/**
 * The automatic segmenter takeover: the rule itself (pure, on records), and
 * real nodes (in-memory SQLite, real signatures, real change clocks)
 * exchanging changes — the creating node goes silent, another member keeps
 * adding messages, and after the ttl (in change time) exactly one member
 * takes over, on every replica alike.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createNode, type MusherNode } from "./createNode";
import { silentLogger } from "../base/Logger";
import type { SessionRecord } from "../memory/MemoryTables";
import type { SessionActivity } from "../memory/MemoryTables";
import { segmenterSuccessor } from "../memory/segmenterTakeover";
import type { Input, Method, Output } from "../../src-shared/contract";
import { callOk } from "../../test/support/callOk";

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;
const TTL = 150;
const nodes: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

function record(segmenter: string, wall: number): SessionRecord {
  const stamp = { wall, logical: 0, author: segmenter, id: "x" };
  return { id: "ses_1", title: "t", storyId: null, createdAt: 0, creators: ["x"], stamp, segmenter, segmenterStamp: stamp };
}
const act = (author: string, wrote: number, added: number | null = wrote): SessionActivity => ({ author, wrote, added });

describe("segmenterSuccessor (the rule)", () => {
  it("names no one while the segmenter wrote within the ttl of the others' adds", () => {
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 1_000), act("B", 1_000 + TTL - 1)], TTL)).toBeNull();
    // The segmenter's later writes (memcells, its own messages) keep it alive.
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 5_000, null), act("B", 5_000 + TTL - 1)], TTL)).toBeNull();
    // Others writing without adding messages do not count.
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 1_000), act("B", 9_000, null)], TTL)).toBeNull();
  });

  it("names the latest adder once the segmenter is silent for the ttl; ties go to the smaller key", () => {
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 1_000), act("B", 1_000 + TTL)], TTL)).toBe("B");
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 1_000), act("B", 2_000), act("C", 3_000)], TTL)).toBe("C");
    expect(segmenterSuccessor(record("A", 1_000), [act("A", 1_000), act("C", 3_000), act("B", 3_000)], TTL)).toBe("B");
    // Same answer whatever order the rows come in: deterministic on every replica.
    expect(segmenterSuccessor(record("A", 1_000), [act("B", 3_000), act("C", 3_000), act("A", 1_000)], TTL)).toBe("B");
  });

  it("judges a segmenter with no activity row by its register's stamp (rows from before activity was kept)", () => {
    expect(segmenterSuccessor(record("A", 1_000), [act("B", 1_000 + TTL - 1)], TTL)).toBeNull();
    expect(segmenterSuccessor(record("A", 1_000), [act("B", 1_000 + TTL)], TTL)).toBe("B");
  });
});

interface Peer {
  node: MusherNode;
  log: Uint8Array[];
  /** Changes this node wrote itself. */
  own: Uint8Array[];
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
}

async function peer(): Promise<Peer> {
  const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger, workspaceId: "w_test", segmenterTtlMs: TTL });
  nodes.push(node);
  const log: Uint8Array[] = [];
  const own: Uint8Array[] = [];
  node.replica.onApplied((e) => {
    log.push(...e.changes);
    if (e.local) own.push(...e.changes);
  });
  return {
    node,
    log,
    own,
    call: (method, input) => callOk(node, method, input),
  };
}

function deliver(from: Peer, to: Peer): void {
  const bad = to.node.replica.receiveBatch(from.log).filter((r) => r.status === "rejected" || r.status === "pending");
  expect(bad).toEqual([]);
}

const msg = (content: string, at: number, senderId = "bob") => ({ senderId, role: "user" as const, timestamp: at, content });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function view(p: Peer, sessionId: string) {
  const memcells = await p.call("session/memcells", { sessionId, includeHidden: true });
  const buffer = await p.call("session/buffer", { sessionId });
  return { memcells, buffer };
}

describe("automatic takeover between nodes", () => {
  it("a member adding messages after the segmenter's ttl of silence takes over and memorizes; the creator, back, follows", async () => {
    const [a, b] = [await peer(), await peer()];
    const session = await a.call("session/create", { title: "agent run" });
    deliver(a, b);
    // Within the ttl of A's last write: B only stores.
    expect(await b.call("session/addMessages", { sessionId: session.id, messages: [msg("day one", T0)] })).toMatchObject({ status: "accumulated" });
    await pause(TTL + 30);
    // Now A (gone) has been silent for the ttl while B added messages: B takes over and cuts day one off.
    const r = await b.call("session/addMessages", { sessionId: session.id, messages: [msg("day two", T0 + 30 * HOUR)] });
    expect(r.status).toBe("extracted");
    expect(r.memcellIds).toHaveLength(1);
    const onB = await view(b, session.id);
    expect(onB.buffer.map((m) => m.content)).toEqual(["day two"]);

    // A comes back: it sees B as the segmenter, so its own adds are stored uncut and B memorizes them.
    deliver(b, a);
    expect(await view(a, session.id)).toEqual(onB);
    const back = await a.call("session/addMessages", { sessionId: session.id, messages: [msg("day three", T0 + 60 * HOUR)] });
    expect(back).toMatchObject({ status: "accumulated", memcellIds: [] });
    const before = b.log.length;
    deliver(a, b);
    await expect.poll(async () => (await view(b, session.id)).memcells.length).toBe(2);
    expect(b.log.length).toBeGreaterThan(before);
    deliver(b, a);
    expect(await view(a, session.id)).toEqual(await view(b, session.id));
  });

  it("a remote add that makes the segmenter stale is handled by its author only, and every replica agrees", async () => {
    const [a, b, c] = [await peer(), await peer(), await peer()];
    const session = await a.call("session/create", { title: "s" });
    deliver(a, b);
    deliver(a, c);
    await pause(TTL + 30);
    // C adds (and takes over itself); B receives C's change: C is the successor, not B.
    const r = await c.call("session/addMessages", { sessionId: session.id, messages: [msg("early", T0), msg("late", T0 + 30 * HOUR)] });
    expect(r.status).toBe("extracted");
    deliver(c, b);
    await pause(50); // room for a (wrong) background takeover on B
    expect(b.own).toEqual([]); // B applied C's changes and wrote none of its own
    expect(await view(b, session.id)).toEqual(await view(c, session.id));
    // A's replica, once it hears, shows the same.
    deliver(c, a);
    expect(await view(a, session.id)).toEqual(await view(c, session.id));
  });

  it("two members taking over concurrently (partitioned) converge to one segmentation", async () => {
    const [a, b, c] = [await peer(), await peer(), await peer()];
    const session = await a.call("session/create", { title: "s" });
    await a.call("session/addMessages", { sessionId: session.id, messages: [msg("shared", T0, "ann")] });
    deliver(a, b);
    deliver(a, c);
    await pause(TTL + 30);
    const rb = await b.call("session/addMessages", { sessionId: session.id, messages: [msg("from b", T0 + 30 * HOUR)] });
    const rc = await c.call("session/addMessages", { sessionId: session.id, messages: [msg("from c", T0 + 31 * HOUR)] });
    expect([rb.status, rc.status]).toEqual(["extracted", "extracted"]); // both cut "shared" off
    deliver(b, c);
    deliver(c, b);
    await pause(50);
    deliver(b, c);
    deliver(c, b);
    deliver(b, a);
    deliver(c, a);
    const onA = await view(a, session.id);
    expect(await view(b, session.id)).toEqual(onA);
    expect(await view(c, session.id)).toEqual(onA);
    const placed = [...onA.memcells.flatMap((m) => m.messageIds), ...onA.buffer.map((m) => m.id)];
    expect(new Set(placed).size).toBe(3);
    expect(placed).toHaveLength(3);
  });
});

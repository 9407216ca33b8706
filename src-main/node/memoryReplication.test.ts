/**
 * Sessions, messages and memcells as replicated changes: two real nodes
 * (in-memory SQLite, real signatures) exchanging the changes they commit,
 * delivered now, later, twice or in another order. The network is not the
 * subject here (see test/integration for real processes over WebSockets).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MemCell } from "../../src-shared/MemCell";
import type { Message } from "../../src-shared/Message";
import { createNode, type MusherNode } from "./createNode";
import { silentLogger } from "../base/Logger";
import { memCellId } from "../memory/MemCell";
import { messageId } from "../memory/Message";
import type { Input, Method, Output } from "../../src-shared/contract";
import { callOk } from "../../test/support/callOk";

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;
const nodes: MusherNode[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

interface Peer {
  node: MusherNode;
  /** Every change this node applied, in order (what a peer would be sent). */
  log: Uint8Array[];
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
}

async function peer(workspaceId: string): Promise<Peer> {
  const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger, workspaceId });
  nodes.push(node);
  const log: Uint8Array[] = [];
  node.replica.onApplied((e) => log.push(...e.changes));
  return {
    node,
    log,
    call: (method, input) => callOk(node, method, input),
  };
}

async function pair(): Promise<[Peer, Peer]> {
  const a = await peer("w_test");
  return [a, await peer("w_test")];
}

/** Delivers everything `from` has to `to` (duplicates are harmless by design). */
function deliver(from: Peer, to: Peer): void {
  const results = to.node.replica.receiveBatch(from.log);
  const bad = results.filter((r) => r.status === "rejected" || r.status === "pending");
  expect(bad).toEqual([]);
}

const msg = (content: string, at: number, role: "user" | "assistant" = "user", senderId = "alice") => ({ senderId, role, timestamp: at, content });

async function view(p: Peer, sessionId: string) {
  const memcells = await p.call("session/memcells", { sessionId, includeHidden: true });
  const buffer = await p.call("session/buffer", { sessionId });
  return { memcells, buffer };
}

/** Every message id is in exactly one memcell or the buffer. */
function assertPartition(v: { memcells: MemCell[]; buffer: Message[] }, expectedIds: readonly string[]): void {
  const all = [...v.memcells.flatMap((c) => c.messageIds), ...v.buffer.map((m) => m.id)];
  expect(new Set(all).size).toBe(all.length);
  expect([...all].sort()).toEqual([...expectedIds].sort());
}

const until = async (check: () => boolean | Promise<boolean>, ms = 2_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("memory replication", () => {
  it("memcells made on A show identically on B, and a duplicate replay counts nothing twice", async () => {
    const [a, b] = await pair();
    const story = await a.call("story/create", { name: "Auth" });
    const session = await a.call("session/create", { title: "pairing", storyId: story.id });
    await a.call("session/addMessages", { sessionId: session.id, messages: [msg("start the login work", T0), msg("done", T0 + 60_000, "assistant", "bot")] });
    await a.call("session/addMessages", { sessionId: session.id, messages: [msg("next day: review", T0 + 30 * HOUR)] });
    deliver(a, b);
    deliver(a, b); // replay
    const onA = await view(a, session.id);
    const onB = await view(b, session.id);
    expect(onA.memcells).toHaveLength(1);
    expect(onB).toEqual(onA);
    expect(onB.buffer).toHaveLength(1);
    expect(await b.call("session/list", { storyId: story.id })).toEqual([session]);
    const hits = await b.call("memory/search", { query: "login" });
    expect(hits.map((h) => h.id)).toEqual([onA.memcells[0]!.id]);
  });

  it("a hide on A beats an earlier unhide on B, on both", async () => {
    const [a, b] = await pair();
    const session = await a.call("session/create", { title: "s" });
    await a.call("session/addMessages", { sessionId: session.id, messages: [msg("one", T0)] });
    await a.call("session/flush", { sessionId: session.id });
    deliver(a, b);
    const [cell] = await b.call("session/memcells", { sessionId: session.id });
    const bBefore = b.log.length;
    await b.call("memcell/hide", { id: cell!.id });
    await b.call("memcell/unhide", { id: cell!.id }); // B: unhide, earlier in time
    await new Promise((r) => setTimeout(r, 5));
    await a.call("memcell/hide", { id: cell!.id }); // A: hide, later — and A has not seen B's marks
    deliver(a, b);
    const fromB = b.log.slice(bBefore);
    const statuses = a.node.replica.receiveBatch(fromB).map((r) => r.status);
    expect(statuses.filter((s) => s === "applied")).toHaveLength(2); // B's hide and unhide
    expect(statuses.filter((s) => s !== "applied" && s !== "duplicate")).toEqual([]);
    for (const p of [a, b]) {
      const [c] = await p.call("session/memcells", { sessionId: session.id, includeHidden: true });
      expect(c!.hidden).toBe(true);
      expect(await p.call("session/memcells", { sessionId: session.id })).toEqual([]);
    }
  });

  it("a non-segmenter stores messages uncut; the segmenter memorizes them when they arrive", async () => {
    const [a, b] = await pair();
    const session = await a.call("session/create", { title: "agent run" });
    deliver(a, b);
    const r = await b.call("session/addMessages", {
      sessionId: session.id,
      messages: [msg("day one", T0), msg("day two", T0 + 30 * HOUR)],
    });
    expect(r).toMatchObject({ status: "accumulated", memcellIds: [] });
    expect((await view(b, session.id)).buffer).toHaveLength(2);
    deliver(b, a); // A (the segmenter) receives B's messages and cuts day one off
    await until(async () => (await view(a, session.id)).memcells.length === 1);
    deliver(a, b);
    const onA = await view(a, session.id);
    expect(await view(b, session.id)).toEqual(onA);
    assertPartition(onA, onA.memcells[0]!.messageIds.concat(onA.buffer.map((m) => m.id)));
    expect(onA.buffer.map((m) => m.content)).toEqual(["day two"]);
  });

  it("flush on another node takes over; concurrent segmentations converge to disjoint memcells", async () => {
    const [a, b] = await pair();
    const session = await a.call("session/create", { title: "s" });
    await a.call("session/addMessages", { sessionId: session.id, messages: [msg("m1", T0), msg("m2", T0 + 1000)] });
    deliver(a, b);
    // Partitioned: both flush. A flushes as segmenter; B takes over and flushes
    // after adding a message of its own, so the two memcells overlap.
    await b.call("session/addMessages", { sessionId: session.id, messages: [msg("m3", T0 + 2000)] });
    await a.call("session/flush", { sessionId: session.id });
    await new Promise((r) => setTimeout(r, 5));
    await b.call("session/flush", { sessionId: session.id });
    const aAlone = a.log.length;
    deliver(b, a);
    deliver(a, b);
    expect(aAlone).toBeGreaterThan(0);
    const onA = await view(a, session.id);
    const onB = await view(b, session.id);
    expect(onB).toEqual(onA);
    const ids = ["m1", "m2", "m3"].map((c, i) => messageId(session.id, msg(c, T0 + i * 1000), 0));
    assertPartition(onA, ids);
    // A's memcell (earlier) wins m1, m2; B's overlapping one loses, so m3 is back in the buffer.
    expect(onA.memcells.map((c) => c.id)).toEqual([memCellId(ids.slice(0, 2))]);
    expect(onA.buffer.map((m) => m.id)).toEqual([ids[2]]);
    // B is the segmenter now: a flush there memorizes the leftover, on both.
    await b.call("session/flush", { sessionId: session.id });
    deliver(b, a);
    assertPartition(await view(a, session.id), ids);
    expect((await view(a, session.id)).buffer).toEqual([]);
  });

  it("delivery order does not matter", async () => {
    const [a, b] = await pair();
    const session = await a.call("session/create", { title: "s" });
    for (let i = 0; i < 6; i++) {
      await a.call("session/addMessages", { sessionId: session.id, messages: [msg(`m${i}`, T0 + i * 5 * HOUR)] });
    }
    const c = await peer("w_test");
    // B gets the log in order, C gets it reversed then again in order (pending → released).
    deliver(a, b);
    c.node.replica.receiveBatch([...a.log].reverse());
    deliver(a, c);
    expect(await view(c, session.id)).toEqual(await view(a, session.id));
    expect(await view(b, session.id)).toEqual(await view(a, session.id));
    expect(c.node.replica.heads()).toEqual(a.node.replica.heads());
  });
});

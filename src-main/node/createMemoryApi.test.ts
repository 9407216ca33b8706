/**
 * The session/memory methods through `node.call` (validation, dispatch,
 * service, events) on a real node with its own temp data dir.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventMessage } from "../../src-shared/contract";
import { memCellSchema } from "../../src-shared/MemCell";
import { memorizeResultSchema } from "../../src-shared/memoryMethods";
import { memoryHitSchema } from "../../src-shared/MemoryHit";
import { messageSchema } from "../../src-shared/Message";
import { sessionSchema } from "../../src-shared/Session";
import { silentLogger } from "../base/Logger";
import { createNode, type MusherNode } from "./createNode";

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 60 * 60 * 1000;
const nodes: MusherNode[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function newNode() {
  const dataDir = await mkdtemp(join(tmpdir(), "musher-memapi-"));
  dirs.push(dataDir);
  const node = await createNode({ dataDir, host: "embedded", log: silentLogger });
  nodes.push(node);
  const call = async (method: string, input: unknown): Promise<unknown> => {
    const r = await node.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const events: EventMessage[] = [];
  node.subscribe((m) => events.push(m));
  return { node, call, events };
}

const msg = (content: string, at: number, role: "user" | "assistant" = "user", senderId = "alice") => ({
  senderId,
  role,
  timestamp: at,
  content,
});

describe("session and memory methods", () => {
  it("creates sessions for a story and lists them newest first, filtered by story", async () => {
    const { call } = await newNode();
    const story = (await call("story/create", { name: "Auth" })) as { id: string };
    const a = sessionSchema.parse(await call("session/create", { title: "first", storyId: story.id }));
    const b = sessionSchema.parse(await call("session/create", { title: "second" }));
    const c = sessionSchema.parse(await call("session/create", { title: "third", storyId: story.id }));
    expect(a.storyId).toBe(story.id);
    expect((await call("session/list", {})) as unknown[]).toEqual([c, b, a]);
    expect((await call("session/list", { storyId: story.id })) as unknown[]).toEqual([c, a]);
  });

  it("refuses a session for an unknown story and calls on an unknown session (not_found)", async () => {
    const { node } = await newNode();
    expect(await node.call("session/create", { title: "x", storyId: "s_nope" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    for (const method of ["session/flush", "session/buffer", "session/memcells"]) {
      expect(await node.dispatch(method, { sessionId: "ses_missing" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    expect(await node.call("session/addMessages", { sessionId: "ses_missing", messages: [msg("hi there", T0)] })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await node.call("memcell/hide", { id: "c_" + "0".repeat(32) })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("rejects bad input with invalid_input", async () => {
    const { node, call } = await newNode();
    const s = sessionSchema.parse(await call("session/create", { title: "t" }));
    const bad = [
      ["session/create", { title: "  " }],
      ["session/addMessages", { sessionId: s.id, messages: [] }],
      ["session/addMessages", { sessionId: s.id, messages: [{ ...msg("x", T0), role: "robot" }] }],
      ["session/addMessages", { sessionId: s.id, messages: [msg("x".repeat(64 * 1024 + 1), T0)] }],
      ["session/addMessages", { sessionId: s.id, messages: Array.from({ length: 1001 }, (_, i) => msg(`m${i}`, T0 + i)) }],
      ["memory/search", { query: "" }],
      ["memory/search", { query: "x", limit: 1000 }],
      ["memcell/hide", { id: "not-a-cell" }],
    ] as const;
    for (const [method, input] of bad) {
      expect(await node.dispatch(method, input), method).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    }
  });

  it("memorizes, deduplicates a retried payload, flushes, and announces each commit once", async () => {
    const { call, events } = await newNode();
    const s = sessionSchema.parse(await call("session/create", { title: "pairing" }));
    events.length = 0;
    const morning = [msg("Let us fix the login redirect", T0), msg("Looking at the cookie path", T0 + 1000, "assistant", "bot")];
    const first = memorizeResultSchema.parse(await call("session/addMessages", { sessionId: s.id, messages: morning }));
    expect(first).toEqual({ status: "accumulated", messageCount: 2, bufferedCount: 2, memcellIds: [] });
    const again = memorizeResultSchema.parse(await call("session/addMessages", { sessionId: s.id, messages: morning }));
    expect(again).toMatchObject({ status: "accumulated", messageCount: 0, bufferedCount: 2 });
    // A message 5 h later closes the morning episode (embedded detector: 4 h gap).
    const later = memorizeResultSchema.parse(
      await call("session/addMessages", { sessionId: s.id, messages: [msg("Now the billing export", T0 + 5 * HOUR)] }),
    );
    expect(later).toMatchObject({ status: "extracted", messageCount: 1, bufferedCount: 1 });
    expect(later.memcellIds).toHaveLength(1);
    const cells = memCellSchema.array().parse(await call("session/memcells", { sessionId: s.id }));
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ title: "Let us fix the login redirect", senderIds: ["alice", "bot"], hidden: false });
    const buffer = messageSchema.array().parse(await call("session/buffer", { sessionId: s.id }));
    expect(buffer.map((m) => m.content)).toEqual(["Now the billing export"]);

    const flushed = memorizeResultSchema.parse(await call("session/flush", { sessionId: s.id }));
    expect(flushed).toMatchObject({ status: "extracted", bufferedCount: 0 });
    expect(await call("session/buffer", { sessionId: s.id })).toEqual([]);
    expect(memorizeResultSchema.parse(await call("session/flush", { sessionId: s.id })).memcellIds).toEqual([]);
    // first add, third add, flush: three commits; the retry and the empty flush are no-ops.
    expect(events).toEqual(Array.from({ length: 3 }, () => ({ event: "session/changed", payload: { sessionId: s.id } })));
  });

  it("hides and unhides memcells; hidden ones leave the default list and search", async () => {
    const { call } = await newNode();
    const s = sessionSchema.parse(await call("session/create", { title: "t" }));
    await call("session/addMessages", { sessionId: s.id, messages: [msg("Refactor the websocket reconnect", T0)] });
    const [cellId] = memorizeResultSchema.parse(await call("session/flush", { sessionId: s.id })).memcellIds;
    expect(memoryHitSchema.array().parse(await call("memory/search", { query: "websocket" })).map((h) => h.id)).toEqual([cellId]);
    expect(await call("memcell/hide", { id: cellId })).toMatchObject({ id: cellId, hidden: true });
    expect(await call("session/memcells", { sessionId: s.id })).toEqual([]);
    expect(await call("session/memcells", { sessionId: s.id, includeHidden: true })).toMatchObject([{ id: cellId, hidden: true }]);
    expect(await call("memory/search", { query: "websocket" })).toEqual([]);
    // Hide then unhide in the same millisecond still ends visible: the clock is monotonic.
    expect(await call("memcell/unhide", { id: cellId })).toMatchObject({ hidden: false });
    expect(await call("session/memcells", { sessionId: s.id })).toMatchObject([{ id: cellId, hidden: false }]);
  });

  it("searches memcells and buffered messages, ranked, filtered by story", async () => {
    const { call } = await newNode();
    const story = (await call("story/create", { name: "Search" })) as { id: string };
    const a = sessionSchema.parse(await call("session/create", { title: "a", storyId: story.id }));
    const b = sessionSchema.parse(await call("session/create", { title: "b" }));
    await call("session/addMessages", { sessionId: a.id, messages: [msg("Tune the sqlite indexes for sqlite speed", T0)] });
    await call("session/flush", { sessionId: a.id });
    await call("session/addMessages", { sessionId: b.id, messages: [msg("One sqlite question", T0)] });
    const hits = memoryHitSchema.array().parse(await call("memory/search", { query: "SQLite" }));
    expect(hits.map((h) => [h.kind, h.sessionId])).toEqual([
      ["memcell", a.id],
      ["message", b.id],
    ]);
    expect(hits[0]).toMatchObject({ storyId: story.id, sessionTitle: "a" });
    const scoped = memoryHitSchema.array().parse(await call("memory/search", { query: "sqlite", storyId: story.id }));
    expect(scoped.map((h) => h.sessionId)).toEqual([a.id]);
    expect(await call("memory/search", { query: "sqlite", limit: 1 })).toHaveLength(1);
    expect(await call("memory/search", { query: "nothing-matches-this" })).toEqual([]);
  });
});

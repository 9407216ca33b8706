/**
 * The memorize pipeline end to end: LlmDetector against a fake LLM over real
 * HTTP, InMemoryMemoryStore. Covers the everos seed's concurrency regression
 * (concurrent adds on one session must not drop messages) and segmentation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import type { BoundaryDetector, Detection } from "./BoundaryDetector";
import { FakeLlmServer, modelAnswer, promptMessageCount, type FakeScript } from "../../test/support/memory/FakeLlmServer";
import { InMemoryMemoryStore } from "./InMemoryMemoryStore";
import { LlmDetector } from "./LlmDetector";
import { Memorizer, type MemorizerOptions } from "./Memorizer";
import { toMessages, type Message, type MessageInput } from "./Message";

const T0 = 1_700_000_000_000;
const msg = (idx: number, sender: string, ts: number, role: MessageInput["role"] = "user"): MessageInput => ({
  senderId: sender,
  role,
  timestamp: ts,
  content: `msg-${idx} from ${sender}`,
});
const batch = (n: number, sender: string, t0: number, from = 0) =>
  Array.from({ length: n }, (_, i) => msg(from + i, sender, t0 + (from + i) * 1000));

let server: FakeLlmServer;
beforeAll(async () => {
  server = await FakeLlmServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function setup(options: Partial<MemorizerOptions> = {}) {
  const store = new InMemoryMemoryStore();
  const detector = new LlmDetector({ baseUrl: server.baseUrl, model: "fake", retryDelayMs: 0, timeoutMs: 5_000 });
  return { store, memorizer: new Memorizer({ store, detector, ...options }) };
}

/** Cut after all but the last message: each call makes a memcell AND leaves a tail. */
const cutAllButLast: FakeScript = (req) =>
  modelAnswer({ reasoning: "t", boundaries: [promptMessageCount(req.prompt) - 1], should_wait: true });

function coverage(store: InMemoryMemoryStore, sessionId: string) {
  const buffered = store.getBuffer(sessionId).map((m) => m.id);
  const inCells = store.listMemCells(sessionId).flatMap((c) => c.messageIds);
  const all = [...buffered, ...inCells];
  return { buffered: new Set(buffered), inCells: new Set(inCells), covered: new Set(all), total: all.length };
}

const ids = (sessionId: string, inputs: MessageInput[]) => toMessages(sessionId, inputs).map((m) => m.id);

describe("Memorizer: concurrent adds (everos regression)", () => {
  it("2 concurrent batches of 4 on one session: all 8 ids covered, none in both places", async () => {
    server.fallback = cutAllButLast;
    const { store, memorizer } = setup();
    const a = batch(4, "alice", T0);
    const b = batch(4, "bob", T0 + 100_000, 100);
    await Promise.all([memorizer.addMessages("s", a), memorizer.addMessages("s", b)]);
    const c = coverage(store, "s");
    expect(c.covered).toEqual(new Set([...ids("s", a), ...ids("s", b)]));
    expect(c.total).toBe(8);
    expect([...c.buffered].filter((id) => c.inCells.has(id))).toEqual([]);
    expect(store.listMemCells("s").length).toBeGreaterThan(0);
  });

  it("4 concurrent batches of 3: all 12 covered exactly once", async () => {
    server.fallback = cutAllButLast;
    const { store, memorizer } = setup();
    const batches = [0, 1, 2, 3].map((b) => batch(3, `u${b}`, T0, b * 10));
    await Promise.all(batches.map((x) => memorizer.addMessages("s", x)));
    const c = coverage(store, "s");
    expect(c.covered).toEqual(new Set(batches.flatMap((x) => ids("s", x))));
    expect(c.total).toBe(12);
  });

  it("three sessions run in parallel: 3 each, and their detector calls overlap", async () => {
    const calls: { start: number; end: number }[] = [];
    const slow: BoundaryDetector = {
      async detect(messages: readonly Message[]): Promise<Detection> {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 150));
        calls.push({ start, end: Date.now() });
        return { boundaries: [messages.length], shouldWait: false };
      },
    };
    const store = new InMemoryMemoryStore();
    const memorizer = new Memorizer({ store, detector: slow });
    const sessions = ["s_a", "s_b", "s_c"];
    await Promise.all(sessions.map((sid) => memorizer.addMessages(sid, batch(3, sid, T0))));
    for (const sid of sessions) expect(coverage(store, sid).covered.size).toBe(3);
    expect(calls).toHaveLength(3);
    // Every call started before any call ended: they ran at the same time.
    expect(Math.max(...calls.map((c) => c.start))).toBeLessThan(Math.min(...calls.map((c) => c.end)));
  });
});

describe("Memorizer: segmentation", () => {
  it("boundaries [2] over 3 → memcell {m0, m1}, buffer {m2}; then [3] over the merged list consumes the old buffer", async () => {
    const { store, memorizer } = setup();
    const first = batch(3, "alice", T0);
    const [m0, m1, m2] = ids("s", first);
    server.script(
      modelAnswer({ reasoning: "", boundaries: [2], should_wait: true, episodes: [{ title: "Opening", content: "alice opened", summary: "s" }] }),
    );
    const r1 = await memorizer.addMessages("s", first);
    expect(r1).toMatchObject({ status: "extracted", messageCount: 3, bufferedCount: 1 });
    expect(r1.memcells).toHaveLength(1);
    expect(r1.memcells[0]).toMatchObject({ messageIds: [m0, m1], title: "Opening", content: "alice opened", summary: "s" });
    expect(r1.memcells[0]).toMatchObject({ senderIds: ["alice"], startedAt: T0, endedAt: T0 + 1000, hidden: false });
    expect(store.getBuffer("s").map((m) => m.id)).toEqual([m2]);

    const second = batch(2, "alice", T0, 3);
    server.script(modelAnswer({ reasoning: "", boundaries: [3], should_wait: false }));
    const r2 = await memorizer.addMessages("s", second);
    expect(promptMessageCount(server.requests[1]?.prompt ?? "")).toBe(3);
    expect(r2.memcells.map((c) => c.messageIds)).toEqual([[m2, ...ids("s", second)]]);
    expect(r2.memcells[0]?.title).toBe("msg-2 from alice"); // no episode given → extractive
    expect(store.getBuffer("s")).toEqual([]);
  });

  it("out-of-range boundaries are dropped, not clamped", async () => {
    const { store, memorizer } = setup();
    server.script(modelAnswer({ reasoning: "", boundaries: [0, 4, 99, 1.5], should_wait: false }));
    const r = await memorizer.addMessages("s", batch(3, "alice", T0));
    expect(r).toMatchObject({ status: "accumulated", messageCount: 3, bufferedCount: 3, memcells: [] });
    expect(store.listMemCells("s")).toEqual([]);
  });

  it("3 malformed answers → ApiFailure, buffer unchanged; the same payload retried later succeeds", async () => {
    const { store, memorizer } = setup();
    server.script(modelAnswer({ boundaries: [], should_wait: true }));
    await memorizer.addMessages("s", batch(2, "alice", T0));
    const before = store.getBuffer("s");
    server.script(modelAnswer("garbage"), modelAnswer({ boundaries: null }), { kind: "raw", status: 500, body: "oops" });
    const next = batch(2, "alice", T0, 2);
    const err: unknown = await memorizer.addMessages("s", next).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe("unavailable");
    expect(server.requests).toHaveLength(4);
    expect(store.getBuffer("s")).toEqual(before);
    expect(store.listMemCells("s")).toEqual([]);

    server.script(modelAnswer({ boundaries: [4], should_wait: false }));
    const r = await memorizer.addMessages("s", next);
    expect(r.memcells[0]?.messageIds).toHaveLength(4);
  });

  it("falls back to extractive episodes when the model gives fewer than segments", async () => {
    const { memorizer } = setup();
    server.script(modelAnswer({ boundaries: [1, 2], should_wait: false, episodes: [{ title: "First", content: "c" }] }));
    const r = await memorizer.addMessages("s", batch(3, "alice", T0));
    expect(r.memcells.map((c) => c.title)).toEqual(["First", "msg-1 from alice"]);
  });

  it("flush turns the whole buffer into a final memcell", async () => {
    const { store, memorizer } = setup();
    server.script(modelAnswer({ boundaries: [], should_wait: true }));
    await memorizer.addMessages("s", batch(3, "alice", T0));
    const r = await memorizer.flush("s");
    expect(r.status).toBe("extracted");
    expect(r.memcells.map((c) => c.messageIds)).toEqual([ids("s", batch(3, "alice", T0))]);
    expect(store.getBuffer("s")).toEqual([]);
    expect(await memorizer.flush("s")).toMatchObject({ status: "accumulated", memcells: [] });
    expect(server.requests).toHaveLength(1); // flush needs no model
  });

  it("forces a cut at the message limit whatever the detector says", async () => {
    const { store, memorizer } = setup({ limits: { maxMessages: 5, maxTokens: 65_536 } });
    server.script(modelAnswer({ boundaries: [], should_wait: true }));
    const r = await memorizer.addMessages("s", batch(12, "alice", T0));
    expect(r.memcells.map((c) => c.messageIds.length)).toEqual([5, 5]);
    expect(store.getBuffer("s")).toHaveLength(2);
    // Also without a user message (no detector call): the buffer stays bounded.
    const agentOnly = batch(12, "bot", T0 + 100_000).map((m) => ({ ...m, role: "assistant" as const }));
    const r2 = await memorizer.addMessages("t", agentOnly);
    expect(r2.memcells.map((c) => c.messageIds.length)).toEqual([5, 5]);
    expect(server.requests).toHaveLength(1);
  });

  it("a batch with no user message is buffered without calling the detector", async () => {
    const { store, memorizer } = setup();
    const agent = [0, 1, 2].map((i) => msg(i, "bot", T0 + i, i === 1 ? "tool" : "assistant"));
    const r = await memorizer.addMessages("s", agent);
    expect(r).toMatchObject({ status: "accumulated", messageCount: 3, bufferedCount: 3 });
    expect(server.requests).toHaveLength(0);
    server.script(modelAnswer({ boundaries: [4], should_wait: false }));
    await memorizer.addMessages("s", [msg(9, "alice", T0 + 10)]);
    expect(promptMessageCount(server.requests[0]?.prompt ?? "")).toBe(4);
    expect(store.getBuffer("s")).toEqual([]);
  });

  it("the same payload sent twice yields no duplicates (buffered or already memorized)", async () => {
    const { store, memorizer } = setup();
    const payload = batch(3, "alice", T0);
    server.script(modelAnswer({ boundaries: [], should_wait: true }));
    await memorizer.addMessages("s", payload);
    const again = await memorizer.addMessages("s", payload);
    expect(again).toMatchObject({ status: "accumulated", messageCount: 0, bufferedCount: 3 });
    expect(server.requests).toHaveLength(1);
    // A re-sent superset (retry after a timeout) only adds the new message.
    server.script(modelAnswer({ boundaries: [4], should_wait: false }));
    const superset = await memorizer.addMessages("s", [...payload, msg(3, "alice", T0 + 3000)]);
    expect(superset.messageCount).toBe(1);
    const late = await memorizer.addMessages("s", payload); // now inside a memcell
    expect(late).toMatchObject({ messageCount: 0, bufferedCount: 0 });
    const c = coverage(store, "s");
    expect([c.total, c.covered.size, store.listMemCells("s").length]).toEqual([4, 4, 1]);
  });

  it("rejects invalid input with invalid_input before touching anything", async () => {
    const { memorizer } = setup();
    const bad = [{ senderId: "a", role: "robot", timestamp: 1.5, content: "x" }] as unknown as MessageInput[];
    const err: unknown = await memorizer.addMessages("s", bad).catch((e: unknown) => e);
    expect((err as ApiFailure).code).toBe("invalid_input");
    expect((err as ApiFailure).issues?.map((i) => i.path.join("."))).toEqual(["messages.0.role", "messages.0.timestamp"]);
    await expect(memorizer.addMessages("", [])).rejects.toThrow(ApiFailure);
  });
});

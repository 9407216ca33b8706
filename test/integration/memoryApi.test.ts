/**
 * Sessions and memory over real HTTP against a real `musher serve` child
 * process (the built CLI): idempotent retries, concurrent adds on one
 * session, flush, search, hide/unhide, and the HTTP status of bad calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memCellSchema } from "../../src-shared/MemCell";
import { memorizeResultSchema } from "../../src-shared/memoryMethods";
import { memoryHitSchema } from "../../src-shared/MemoryHit";
import { messageSchema } from "../../src-shared/Message";
import { sessionSchema } from "../../src-shared/Session";
import { storySchema } from "../../src-shared/Story";
import { startServe, type ServeProcess } from "../support/startServe";

let serve: ServeProcess;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

beforeAll(async () => {
  serve = await startServe();
});

afterAll(async () => {
  await serve?.stop();
});

async function ok(method: string, input: unknown): Promise<unknown> {
  const { status, body } = await serve.call(method, input);
  if (status !== 200) throw new Error(`${method} → ${status} ${JSON.stringify(body)}`);
  return body;
}

const msg = (content: string, timestamp: number, senderId = "alice", role: "user" | "assistant" = "user") => ({
  senderId,
  role,
  timestamp,
  content,
});

async function contents(sessionId: string) {
  const cells = memCellSchema.array().parse(await ok("session/memcells", { sessionId, includeHidden: true }));
  const buffer = messageSchema.array().parse(await ok("session/buffer", { sessionId }));
  return { cells, buffer, ids: [...cells.flatMap((c) => c.messageIds), ...buffer.map((m) => m.id)] };
}

describe("sessions and memory over HTTP", () => {
  it("keeps a story's session free of duplicates when a payload is sent twice", async () => {
    const story = storySchema.parse(await ok("story/create", { name: "Login loop" }));
    const session = sessionSchema.parse(await ok("session/create", { title: "pairing", storyId: story.id }));
    expect(await ok("session/list", { storyId: story.id })).toEqual([session]);
    const payload = {
      sessionId: session.id,
      messages: [msg("The login redirect loops", T0), msg("Cookie path mismatch", T0 + 1000, "bot", "assistant")],
    };
    expect(memorizeResultSchema.parse(await ok("session/addMessages", payload))).toMatchObject({ messageCount: 2 });
    expect(memorizeResultSchema.parse(await ok("session/addMessages", payload))).toMatchObject({ messageCount: 0 });
    const { ids } = await contents(session.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("puts every message id exactly once in memcells ∪ buffer under concurrent adds on one session", async () => {
    const session = sessionSchema.parse(await ok("session/create", { title: "concurrent" }));
    // 8 writers × 10 messages; every third writer starts an episode 5 h later, forcing cuts mid-stream.
    const batches = Array.from({ length: 8 }, (_, w) =>
      Array.from({ length: 10 }, (_, i) => msg(`writer ${w} message ${i}`, T0 + w * 5 * HOUR + i * 1000, `w${w}`)),
    );
    const results = await Promise.all(
      batches.map((messages) => ok("session/addMessages", { sessionId: session.id, messages })),
    );
    const accepted = results.map((r) => memorizeResultSchema.parse(r).messageCount).reduce((a, b) => a + b, 0);
    expect(accepted).toBe(80);
    const { cells, ids } = await contents(session.id);
    expect(ids).toHaveLength(80);
    expect(new Set(ids).size).toBe(80);
    expect(cells.length).toBeGreaterThan(0);
  });

  it("flush drains the buffer into memcells", async () => {
    const session = sessionSchema.parse(await ok("session/create", { title: "flush" }));
    await ok("session/addMessages", { sessionId: session.id, messages: [msg("Tune the reconnect backoff", T0)] });
    expect((await contents(session.id)).buffer).toHaveLength(1);
    const flushed = memorizeResultSchema.parse(await ok("session/flush", { sessionId: session.id }));
    expect(flushed).toMatchObject({ status: "extracted", bufferedCount: 0 });
    const after = await contents(session.id);
    expect(after.buffer).toEqual([]);
    expect(after.cells.map((c) => c.id)).toEqual(flushed.memcellIds);
  });

  it("finds a memcell by a word in its content, and hide/unhide take it out of and back into results", async () => {
    const session = sessionSchema.parse(await ok("session/create", { title: "search" }));
    await ok("session/addMessages", {
      sessionId: session.id,
      messages: [msg("Where does it break", T0), msg("The flamingo parser drops trailing commas", T0 + 1000, "bot", "assistant")],
    });
    const [cellId] = memorizeResultSchema.parse(await ok("session/flush", { sessionId: session.id })).memcellIds;
    const search = async () => memoryHitSchema.array().parse(await ok("memory/search", { query: "flamingo" }));
    expect((await search()).map((h) => [h.kind, h.id, h.sessionId])).toEqual([["memcell", cellId, session.id]]);
    expect(memCellSchema.parse(await ok("memcell/hide", { id: cellId })).hidden).toBe(true);
    expect(await search()).toEqual([]);
    expect(await ok("session/memcells", { sessionId: session.id })).toEqual([]);
    expect(memCellSchema.parse(await ok("memcell/unhide", { id: cellId })).hidden).toBe(false);
    expect((await search()).map((h) => h.id)).toEqual([cellId]);
  });

  it("answers 400 on bad input and 404 on an unknown session", async () => {
    const bad = await serve.call("session/addMessages", { sessionId: "x", messages: [{ senderId: "a", role: "robot", timestamp: 1, content: "" }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_input" });
    expect((await serve.call("session/create", { title: "" })).status).toBe(400);
    expect((await serve.call("memory/search", { query: "x", limit: 0 })).status).toBe(400);
    const missing = await serve.call("session/addMessages", { sessionId: "ses_nope", messages: [msg("hello there", T0)] });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "not_found" });
    expect((await serve.call("session/buffer", { sessionId: "ses_nope" })).status).toBe(404);
    expect((await serve.call("memcell/hide", { id: "c_" + "0".repeat(32) })).status).toBe(404);
  });
});

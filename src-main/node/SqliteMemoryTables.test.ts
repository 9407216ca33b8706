/**
 * Search over the memory tables through a real node: only what can be shown
 * is found (buffered messages, effective visible memcells), every word of a
 * memorized message is found (not only the digest's), word forms match,
 * snippets are cut at the match with its ranges, and no query string can
 * reach FTS5's query syntax.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MemoryHit } from "../../src-shared/MemoryHit";
import { createNode, type MusherNode } from "./createNode";
import { silentLogger } from "../base/Logger";
import type { MemCellRecord } from "../memory/MemoryTables";
import { openMemoryDatabase } from "../store/openDatabase";
import { SqliteMemoryTables, toFtsQuery } from "../store/SqliteMemoryTables";
import type { Input, Method, Output } from "../../src-shared/contract";
import { callOk } from "../../test/support/callOk";

const nodes: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

const T0 = Date.UTC(2025, 0, 6, 9);

async function freshNode() {
  const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger });
  nodes.push(node);
  const call = <M extends Method>(method: M, input: Input<M>): Promise<Output<M>> => callOk(node, method, input);
  const { id: sessionId } = await call("session/create", { title: "words" });
  const search = (query: string) => call("memory/search", { query });
  return { node, call, sessionId, search };
}

/** The snippet's marked text, lower-cased: what the UI highlights. */
const marked = (hit: MemoryHit): string[] => (hit.matches ?? []).map((r) => hit.snippet.slice(r.start, r.end).toLowerCase());

describe("memory search", () => {
  it("finds a message while buffered, then its memcell instead; a hidden memcell not at all", async () => {
    const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger });
    nodes.push(node);
    const call = <M extends Method>(method: M, input: Input<M>): Promise<Output<M>> => callOk(node, method, input);
    const { id: sessionId } = await call("session/create", { title: "s" });
    await call("session/addMessages", { sessionId, messages: [{ senderId: "ann", role: "user", timestamp: T0, content: "the flamingo deploy" }] });
    const kinds = async (q: string) => (await call("memory/search", { query: q })).map((h) => h.kind);
    expect(await kinds("flamingo")).toEqual(["message"]);
    expect(await kinds("flam")).toEqual(["message"]); // the last word is a prefix
    const { memcellIds } = await call("session/flush", { sessionId });
    expect(await kinds("flamingo")).toEqual(["memcell"]);
    await call("memcell/hide", { id: memcellIds[0]! });
    expect(await kinds("flamingo")).toEqual([]);
    await call("memcell/unhide", { id: memcellIds[0]! });
    expect(await kinds("flamingo")).toEqual(["memcell"]);
    for (const hostile of ['"', "flamingo NEAR(", "AND OR NOT", "*", "title:flamingo", "(((", "flamingo\"*) OR x"]) {
      const r = await node.call("memory/search", { query: hostile });
      expect(r.ok).toBe(true);
    }
  });

  it("quotes every term and keeps only words", () => {
    expect(toFtsQuery('a "b" NEAR(c')).toBe('"a" OR "b" OR "near" OR "c"*');
    expect(toFtsQuery("  ** ")).toBeNull();
  });

  it("finds words the digest cut: beyond a line's 200 characters and beyond the memcell's 8,000", async () => {
    const { call, sessionId, search } = await freshNode();
    const filler = (i: number) => `message ${i} ` + "lorem ipsum dolor sit amet ".repeat(12);
    const messages = Array.from({ length: 60 }, (_, i) => ({ senderId: i % 2 ? "bot" : "ann", role: i % 2 ? ("assistant" as const) : ("user" as const), timestamp: T0 + i * 60_000, content: filler(i) }));
    messages[3]!.content += " the wombat protocol"; // past 200 characters of its line
    messages[58]!.content = "we settled on the narwhal schema at last"; // past 8,000 characters of the digest
    await call("session/addMessages", { sessionId, messages });
    const { memcellIds } = await call("session/flush", { sessionId });
    const cells = await call("session/memcells", { sessionId });
    expect(memcellIds).toHaveLength(1);
    expect(cells[0]!.content).not.toContain("wombat");
    expect(cells[0]!.content).not.toContain("narwhal");
    for (const [word, index] of [["wombat", 3], ["narwhal", 58]] as const) {
      const hits = await search(word);
      expect(hits.map((h) => [h.kind, h.id])).toEqual([["memcell", memcellIds[0]]]);
      expect(hits[0]!.messageId).toBe(cells[0]!.messageIds[index]);
      expect(marked(hits[0]!)).toEqual([word]);
    }
  });

  it("matches word forms: reconnect / reconnecting / reconnected, deploy / deploys", async () => {
    const { call, sessionId, search } = await freshNode();
    await call("session/addMessages", {
      sessionId,
      messages: [
        { senderId: "ann", role: "user", timestamp: T0, content: "The client must reconnect after a timeout." },
        { senderId: "bot", role: "assistant", timestamp: T0 + 1, content: "Yesterday's build deploys fine." },
      ],
    });
    const found = async (q: string) => (await search(q)).map((h) => h.snippet);
    for (const q of ["reconnecting", "reconnected", "reconnects", "RECONNECT"]) {
      const hits = await search(q);
      expect(hits).toHaveLength(1);
      expect(marked(hits[0]!)).toEqual(["reconnect"]);
    }
    expect(await found("deploy")).toEqual(["Yesterday's build deploys fine."]);
    expect(marked((await search("deploying"))[0]!)).toEqual(["deploys"]);
    expect(await found("unrelated")).toEqual([]);
    // Still after memorizing: the memcell holds both, word forms included.
    await call("session/flush", { sessionId });
    const hits = await search("reconnecting deploy");
    expect(hits.map((h) => h.kind)).toEqual(["memcell"]);
  });

  it("cuts the snippet around the first match and gives its ranges", async () => {
    const { call, sessionId, search } = await freshNode();
    const before = "alpha beta gamma delta ".repeat(30);
    const after = " epsilon zeta eta theta".repeat(30);
    await call("session/addMessages", { sessionId, messages: [{ senderId: "ann", role: "user", timestamp: T0, content: `${before}the Flamingo\n\nlanded${after}` }] });
    const [pending] = await search("flamingos");
    expect(pending!.snippet.startsWith("…")).toBe(true);
    expect(pending!.snippet.endsWith("…")).toBe(true);
    expect(pending!.snippet.length).toBeLessThanOrEqual(162);
    expect(pending!.snippet).toContain("the Flamingo landed"); // whitespace flattened
    expect(marked(pending!)).toEqual(["flamingo"]);
    await call("session/flush", { sessionId });
    const [cell] = await search("flamingo landing");
    expect(cell!.kind).toBe("memcell");
    // The typed words where they occur as typed; word forms (through FTS5) where none does.
    expect(marked(cell!)).toEqual(["flamingo"]);
    const [first] = cell!.matches!;
    expect(first!.start).toBeLessThan(cell!.snippet.length / 2); // cut around the match, not from the start
    const [form] = await search("landing");
    expect(marked(form!)).toEqual(["landed"]);
    expect(form!.snippet).toContain("the Flamingo landed");
  });

  it("marks only real matches when the text holds the marker characters itself", async () => {
    const { call, sessionId, search } = await freshNode();
    const content = "forged \ue000fake\ue001 marks, then the real toucan";
    await call("session/addMessages", { sessionId, messages: [{ senderId: "eve", role: "user", timestamp: T0, content }] });
    const [hit] = await search("toucan");
    expect(hit!.snippet).toBe(content);
    expect(marked(hit!)).toEqual(["toucan"]);
  });

  it("marks the words the last term starts while typing", async () => {
    const { call, sessionId, search } = await freshNode();
    await call("session/addMessages", { sessionId, messages: [{ senderId: "ann", role: "user", timestamp: T0, content: "Flamingos and a flamenco" }] });
    const [hit] = await search("flam");
    expect(marked(hit!)).toEqual(["flamingos", "flamenco"]);
  });

  it("indexes an LLM's episode text (a memcell with a summary), not an extractive digest twice", () => {
    const db = openMemoryDatabase();
    try {
      const tables = new SqliteMemoryTables(db);
      const stamp = { wall: T0, logical: 0, author: "a", id: "x" };
      tables.putSession({ id: "ses_1", title: "s", storyId: null, createdAt: T0, creators: ["x"], stamp, segmenter: "a", segmenterStamp: stamp });
      const message = { id: "m_1", sessionId: "ses_1", senderId: "ann", role: "user" as const, timestamp: T0, content: "we fixed the login" };
      tables.insertMessage({ message, creators: ["x"], cell: null });
      const cell = (id: string, summary: string | null, content: string): MemCellRecord => ({
        id, sessionId: "ses_1", messageIds: ["m_1"], title: "Login", content, summary, senderIds: ["ann"],
        startedAt: T0, endedAt: T0, creators: ["y"], stamp, hide: null, unhide: null, effective: true,
      });
      tables.putMemCell(cell("c_1", "The login works again.", "Ann repaired the authentication flow"));
      tables.setMessageCell("m_1", "c_1");
      const [llm] = tables.search("authentication", { limit: 5 });
      expect(llm).toMatchObject({ kind: "memcell", id: "c_1", snippet: "Ann repaired the authentication flow" });
      expect(llm!.messageId).toBeUndefined();
      expect(tables.search("fixed", { limit: 5 }).map((h) => [h.id, h.messageId])).toEqual([["c_1", "m_1"]]);
      // The same memcell as an extractive digest (no summary): only its title and messages are indexed.
      tables.putMemCell(cell("c_1", null, "Ann repaired the authentication flow"));
      expect(tables.search("authentication", { limit: 5 })).toEqual([]);
      expect(tables.search("fixed", { limit: 5 }).map((h) => h.id)).toEqual(["c_1"]);
    } finally {
      db.close();
    }
  });

  it("names the message holding a deep match, whatever separator characters the messages contain", async () => {
    const { call, sessionId, search } = await freshNode();
    const messages = [
      { senderId: "ann", role: "user" as const, timestamp: T0, content: "odd \u001e record \u001e separators \u001e here" },
      { senderId: "bob", role: "assistant" as const, timestamp: T0 + 1, content: "the capybara is in the second message" },
    ];
    await call("session/addMessages", { sessionId, messages });
    await call("session/flush", { sessionId });
    const [cell] = await call("session/memcells", { sessionId });
    const [hit] = await search("capybara");
    expect(hit!.messageId).toBe(cell!.messageIds[1]);
    expect(hit!.snippet).toBe("bob: the capybara is in the second message");
    expect(marked(hit!)).toEqual(["capybara"]);
  });
});

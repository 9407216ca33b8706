/**
 * Search over the memory tables through a real node: only what can be shown
 * is found (buffered messages, effective visible memcells), and no query
 * string can reach FTS5's query syntax.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MemoryHit } from "../../src-shared/MemoryHit";
import { createNode, type MusherNode } from "../node/createNode";
import { silentLogger } from "../node/Logger";
import { toFtsQuery } from "./SqliteMemoryTables";

const nodes: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

const T0 = Date.UTC(2025, 0, 6, 9);

describe("memory search", () => {
  it("finds a message while buffered, then its memcell instead; a hidden memcell not at all", async () => {
    const node = await createNode({ dataDir: null, host: "embedded", log: silentLogger });
    nodes.push(node);
    const call = async <T>(method: string, input: unknown): Promise<T> => {
      const r = await node.call(method, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as T;
    };
    const { id: sessionId } = await call<{ id: string }>("session/create", { title: "s" });
    await call("session/addMessages", { sessionId, messages: [{ senderId: "ann", role: "user", timestamp: T0, content: "the flamingo deploy" }] });
    const kinds = async (q: string) => (await call<MemoryHit[]>("memory/search", { query: q })).map((h) => h.kind);
    expect(await kinds("flamingo")).toEqual(["message"]);
    expect(await kinds("flam")).toEqual(["message"]); // the last word is a prefix
    const { memcellIds } = await call<{ memcellIds: string[] }>("session/flush", { sessionId });
    expect(await kinds("flamingo")).toEqual(["memcell"]);
    await call("memcell/hide", { id: memcellIds[0] });
    expect(await kinds("flamingo")).toEqual([]);
    await call("memcell/unhide", { id: memcellIds[0] });
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
});

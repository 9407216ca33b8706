/**
 * The acceptance suite every `MemoryStore` implementation must pass
 * (in-memory now, SQLite later): ~20 lines to prove the same contract.
 *
 *   runMemoryStoreTests("SqliteMemoryStore", () => new SqliteMemoryStore(openDb()));
 */
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { extractEpisode } from "./extractEpisode";
import { buildMemCell } from "./MemCell";
import { toMessages, type Message } from "./Message";
import type { MemoryStore } from "./MemoryStore";

function sample(sessionId: string, n: number, t0 = 1_700_000_000_000): Message[] {
  return toMessages(
    sessionId,
    Array.from({ length: n }, (_, i) => ({ senderId: "alice", role: "user" as const, timestamp: t0 + i * 1000, content: `m${i}` })),
  );
}

function cell(sessionId: string, messages: Message[]) {
  return buildMemCell(sessionId, messages, extractEpisode(messages));
}

export function runMemoryStoreTests(name: string, makeStore: () => MemoryStore): void {
  describe(`MemoryStore contract: ${name}`, () => {
    it("starts empty", () => {
      const store = makeStore();
      expect(store.getBuffer("s")).toEqual([]);
      expect(store.listMemCells("s")).toEqual([]);
      expect(store.consumedMessageIds("s", ["m_x"]).size).toBe(0);
    });

    it("commits memcells and replaces the buffer, sorted by (timestamp, id)", () => {
      const store = makeStore();
      const [a, b, c, d] = sample("s", 4);
      if (!a || !b || !c || !d) throw new Error("sample");
      store.commitSegmentation("s", { memcells: [], buffer: [d, c, b, a] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([a.id, b.id, c.id, d.id]);
      store.commitSegmentation("s", { memcells: [cell("s", [a, b])], buffer: [c] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([c.id]);
      expect(store.listMemCells("s").map((x) => x.messageIds)).toEqual([[a.id, b.id]]);
      expect([...store.consumedMessageIds("s", [a.id, c.id, d.id])]).toEqual([a.id]);
    });

    it("keeps sessions apart", () => {
      const store = makeStore();
      store.commitSegmentation("s1", { memcells: [], buffer: sample("s1", 2) });
      expect(store.getBuffer("s2")).toEqual([]);
    });

    it("rejects a message in two memcells, or in a memcell and the buffer, and changes nothing", () => {
      const store = makeStore();
      const msgs = sample("s", 3);
      const [a, b, c] = msgs;
      if (!a || !b || !c) throw new Error("sample");
      store.commitSegmentation("s", { memcells: [cell("s", [a])], buffer: [b, c] });
      const attempts = [
        { memcells: [cell("s", [a, b])], buffer: [c] }, // a already consumed
        { memcells: [cell("s", [b])], buffer: [b, c] }, // b in both
        { memcells: [cell("s", [b]), cell("s", [b, c])], buffer: [] }, // b twice
        { memcells: [], buffer: [a] }, // consumed message back in the buffer
        { memcells: [], buffer: [c, c] },
      ];
      for (const attempt of attempts) {
        expect(() => store.commitSegmentation("s", attempt)).toThrow(ApiFailure);
        expect(store.getBuffer("s").map((m) => m.id)).toEqual([b.id, c.id]);
        expect(store.listMemCells("s")).toHaveLength(1);
      }
    });

    it("returns copies", () => {
      const store = makeStore();
      const [a, b] = sample("s", 2);
      if (!a || !b) throw new Error("sample");
      store.commitSegmentation("s", { memcells: [cell("s", [a])], buffer: [b] });
      store.getBuffer("s").pop();
      store.listMemCells("s")[0]?.messageIds.pop();
      expect(store.getBuffer("s")).toHaveLength(1);
      expect(store.listMemCells("s")[0]?.messageIds).toEqual([a.id]);
    });
  });
}

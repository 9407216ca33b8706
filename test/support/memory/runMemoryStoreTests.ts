/**
 * The acceptance suite every `MemoryStore` implementation must pass
 * (the in-memory one of the unit tests and the replicated one the node
 * runs). Sessions "s", "s1" and "s2" must exist in the store it makes.
 */
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import { extractEpisode } from "../../../src-main/memory/extractEpisode";
import { buildMemCell } from "../../../src-main/memory/MemCell";
import { toMessages, type Message } from "../../../src-main/memory/Message";
import type { MemoryStore } from "../../../src-main/memory/MemoryStore";

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

    it("stores messages and memcells; the buffer is every message in no memcell, sorted by (timestamp, id)", () => {
      const store = makeStore();
      const [a, b, c, d] = sample("s", 4);
      if (!a || !b || !c || !d) throw new Error("sample");
      store.commitSegmentation("s", { messages: [d, c, b, a], memcells: [] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([a.id, b.id, c.id, d.id]);
      store.commitSegmentation("s", { messages: [], memcells: [cell("s", [a, b])] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([c.id, d.id]);
      expect(store.listMemCells("s").map((x) => x.messageIds)).toEqual([[a.id, b.id]]);
      expect([...store.consumedMessageIds("s", [a.id, c.id, d.id])]).toEqual([a.id]);
    });

    it("takes new messages and a memcell over them in one commit", () => {
      const store = makeStore();
      const [a, b, c] = sample("s", 3);
      if (!a || !b || !c) throw new Error("sample");
      store.commitSegmentation("s", { messages: [a, b, c], memcells: [cell("s", [a, b])] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([c.id]);
      expect(store.listMemCells("s")).toHaveLength(1);
    });

    it("ignores re-sent messages, in the buffer or in a memcell", () => {
      const store = makeStore();
      const [a, b] = sample("s", 2);
      if (!a || !b) throw new Error("sample");
      store.commitSegmentation("s", { messages: [a, b], memcells: [cell("s", [a])] });
      store.commitSegmentation("s", { messages: [a, b, b], memcells: [] });
      expect(store.getBuffer("s").map((m) => m.id)).toEqual([b.id]);
      expect(store.listMemCells("s")).toHaveLength(1);
    });

    it("keeps sessions apart", () => {
      const store = makeStore();
      store.commitSegmentation("s1", { messages: sample("s1", 2), memcells: [] });
      expect(store.getBuffer("s2")).toEqual([]);
    });

    it("rejects a message in two memcells, an unknown or foreign message, and changes nothing", () => {
      const store = makeStore();
      const [a, b, c] = sample("s", 3);
      const [foreign] = sample("s1", 1);
      if (!a || !b || !c || !foreign) throw new Error("sample");
      store.commitSegmentation("s", { messages: [a, b, c], memcells: [cell("s", [a])] });
      const [late] = sample("s", 1, 1_800_000_000_000);
      if (!late) throw new Error("sample");
      const attempts = [
        { messages: [late], memcells: [cell("s", [a, b])] }, // a already consumed
        { messages: [late], memcells: [cell("s", [b]), cell("s", [b, c])] }, // b twice
        { messages: [], memcells: [cell("s", [late])] }, // not stored
        { messages: [late, foreign], memcells: [] }, // another session's message
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
      store.commitSegmentation("s", { messages: [a, b], memcells: [cell("s", [a])] });
      store.getBuffer("s").pop();
      store.listMemCells("s")[0]?.messageIds.pop();
      expect(store.getBuffer("s")).toHaveLength(1);
      expect(store.listMemCells("s")[0]?.messageIds).toEqual([a.id]);
    });
  });
}

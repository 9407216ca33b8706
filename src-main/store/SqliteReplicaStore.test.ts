import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runReplicaStoreContract } from "../../test/support/crdt/replicaStoreContract";
import { newStoryRecord } from "../crdt/StoryRecord";
import { openDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), "musher-store-")), "musher.db");

runReplicaStoreContract("SqliteReplicaStore", () => new SqliteReplicaStore(openDatabase(tempDb(), { create: true })));

const stamp = { wall: 1, logical: 0, author: "a".repeat(64), id: "c0" };
const story = (id: string, name: string) => newStoryRecord(id, "c0", stamp, { name, agent: null, stage: "1_backlog", rank: "V" });

describe("SqliteReplicaStore caches", () => {
  it("forget a story written in a transaction that rolled back", () => {
    const store = new SqliteReplicaStore(openDatabase(tempDb(), { create: true }));
    store.putStory(story("s1", "kept"));
    expect(store.allStories().map((r) => r.id)).toEqual(["s1"]); // now served from memory
    expect(() =>
      store.transaction(() => {
        store.putStory(story("s1", "rolled back"));
        store.putStory(story("s2", "rolled back"));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.getStory("s1")?.name.value).toBe("kept");
    expect(store.getStory("s2")).toBeUndefined();
    expect(store.allStories().map((r) => r.name.value)).toEqual(["kept"]);
  });

  it("see what another connection (another process) committed to the same file", () => {
    const file = tempDb();
    const a = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const b = new SqliteReplicaStore(openDatabase(file, { create: false }));
    a.putStory(story("s1", "first"));
    expect(b.getStory("s1")?.name.value).toBe("first");
    a.putStory(story("s1", "second"));
    expect(b.getStory("s1")?.name.value).toBe("second");
    a.transaction(() => a.putStory(story("s1", "third")));
    expect(b.transaction(() => b.getStory("s1")?.name.value)).toBe("third");
    expect(b.allStories().map((r) => r.id)).toEqual(["s1"]);
    a.putStory(story("s2", "new"));
    expect(b.allStories().map((r) => r.id).sort()).toEqual(["s1", "s2"]);
  });
});

/**
 * Story rows of received changes lag (SqliteReplicaStore "Story rows lag"):
 * held across group commits and written later, while this connection reads
 * the held rows; a rolled-back savepoint or group commit puts back what it
 * held; a mark in `meta` covers the gap (a crash in it: host/storyLagCrash).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { ChangeMeta } from "../crdt/ReplicaStore";
import { newStoryRecord } from "../crdt/StoryRecord";
import { waitFor } from "../../test/support/waitFor";
import { STORIES_LAG_KEY } from "./migrations";
import { openDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "musher-lag-"));
const stamp = { wall: 1, logical: 0, author: "a".repeat(64), id: "c0" };
const story = (id: string, name: string) => newStoryRecord(id, "c0", stamp, { name, agent: null, stage: "1_backlog", rank: "V" });
const meta = (id: string, seq: number): ChangeMeta => ({ id, author: "a".repeat(64), seq, clock: { wall: seq, logical: 0 }, deps: [], vec: { ["a".repeat(64)]: seq } });
/** A catch-up chunk's worth of story rows (the store holds rows only for batches of at least 16): `records` and 16 fillers. */
const chunk = (store: SqliteReplicaStore, ...records: ReturnType<typeof story>[]): void => {
  for (const record of records) store.putStory(record);
  for (let i = 0; i < 16; i++) store.putStory(story(`f${i}`, "filler"));
};
/** The board without the fillers, sorted: `allStories` promises no order (from memory, the order of first write). */
const named = (store: SqliteReplicaStore): string[] => store.allStories().filter((r) => !r.id.startsWith("f")).map((r) => `${r.id}:${r.name.value}`).sort();

describe("story rows of received changes", () => {
  it("are held across group commits and marked, read here from memory, written by the drain once quiet, then unmarked", async () => {
    const file = join(tempDir(), "musher.db");
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    const other = (): SqliteReplicaStore => new SqliteReplicaStore(openDatabase(file, { create: false }));
    const marked = (): boolean => openDatabase(file, { create: false }).prepare("SELECT 1 FROM meta WHERE key = ?").get(STORIES_LAG_KEY) !== undefined;
    store.transaction(() => {
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      chunk(store, story("r1", "v1"));
    }, { durable: false });
    store.transaction(() => store.putStory(story("l1", "local"))); // commits the group first
    // Committed: the change and the mark; the row is held.
    const cold = other();
    expect(cold.hasChange("c1")).toBe(true);
    expect(cold.getStory("r1")).toBeUndefined();
    expect(cold.getStory("l1")?.name.value).toBe("local");
    expect(marked()).toBe(true);
    // This connection reads the held row, alone and in the whole board.
    expect(store.getStory("r1")?.name.value).toBe("v1");
    expect(named(store)).toEqual(["l1:local", "r1:v1"]);
    // A savepoint that rolls back puts back the row it held.
    store.transaction(() => chunk(store, story("r1", "v2")), { durable: false });
    expect(() => store.transaction(() => { chunk(store, story("r1", "never")); throw new Error("boom"); }, { durable: false })).toThrow("boom");
    expect(store.getStory("r1")?.name.value).toBe("v2");
    // Quiet for a while: the drain writes the rows and removes the mark.
    await waitFor(() => other().getStory("r1")?.name.value === "v2" && !marked(), "rows written", 3_000);
    expect(named(store)).toEqual(["l1:local", "r1:v2"]);
    // settle() writes them at once.
    store.transaction(() => chunk(store, story("r2", "v1")), { durable: false });
    store.settle();
    expect(other().getStory("r2")?.name.value).toBe("v1");
    expect(marked()).toBe(false);
    // A small received batch (live traffic) writes its row at once: no mark, nothing to drain.
    store.transaction(() => store.putStory(story("r3", "live")), { durable: false });
    store.transaction(() => {}); // commits the group
    expect(other().getStory("r3")?.name.value).toBe("live");
    expect(marked()).toBe(false);
    db.close();
  });

  it("a group whose commit fails puts back the rows it held, and a local write supersedes a held row", () => {
    const file = join(tempDir(), "musher.db");
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    // A deferred foreign key fails at COMMIT: the way to make a group's commit fail here.
    db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
    store.transaction(() => chunk(store, story("r1", "v1")), { durable: false });
    store.transaction(() => {}); // commits the group: r1 v1 held
    expect(new SqliteReplicaStore(openDatabase(file, { create: false })).getStory("r1")).toBeUndefined();
    store.transaction(() => {
      chunk(store, story("r1", "v2"));
      db.exec("INSERT INTO child (p) VALUES (42)");
    }, { durable: false });
    store.transaction(() => store.putStory(story("l1", "local"))); // the group's commit fails first; this one goes through
    expect(store.getStory("r1")?.name.value).toBe("v1");
    // A local edit of a held story writes the row and drops the held one.
    store.transaction(() => store.putStory(story("r1", "local edit")));
    expect(new SqliteReplicaStore(openDatabase(file, { create: false })).getStory("r1")?.name.value).toBe("local edit");
    store.settle();
    expect(named(new SqliteReplicaStore(openDatabase(file, { create: false })))).toEqual(["l1:local", "r1:local edit"]);
    db.close();
  });

  /** Less than the store's `DRAIN_IDLE_MS` (30). */
  const DRAIN_WAIT_PROBE_MS = 5;
  it("are written from the next turns on once a peer's catch-up is applied, without waiting out the pauses; a later batch waits again", async () => {
    // Timers fire only when the test moves the clock: what commits or writes by itself is what the hint started (immediates).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const file = join(tempDir(), "musher.db");
      const db = openDatabase(file, { create: true });
      const store = new SqliteReplicaStore(db);
      const reader = openDatabase(file, { create: false });
      const row = (id: string): string | undefined => (reader.prepare<[string], { id: string }>("SELECT id FROM stories WHERE id = ?").get(id) ? id : undefined);
      const turns = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
      };
      store.transaction(() => {
        store.putChange(meta("c1", 1), new Uint8Array([1]));
        chunk(store, story("r1", "v1"));
      }, { durable: false });
      await turns(5);
      expect(new SqliteReplicaStore(openDatabase(file, { create: false })).hasChange("c1")).toBe(false); // the group is open
      store.caughtUp();
      expect(new SqliteReplicaStore(openDatabase(file, { create: false })).hasChange("c1")).toBe(false); // not in this turn
      await turns(1);
      expect(new SqliteReplicaStore(openDatabase(file, { create: false })).hasChange("c1")).toBe(true); // committed in the next
      await turns(5);
      expect(row("r1")).toBe("r1");
      // A batch after the hint: more may follow, so its rows wait for the pause (a timer, which never fires here).
      store.transaction(() => chunk(store, story("r2", "v1")), { durable: false });
      store.transaction(() => {}); // commits the group
      vi.advanceTimersByTime(DRAIN_WAIT_PROBE_MS); // well inside the pause
      await turns(5);
      expect(row("r2")).toBeUndefined();
      store.caughtUp();
      await turns(5);
      expect(row("r2")).toBe("r2");
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it("are drained in slices, other turns running between them, until every row is written", async () => {
    const file = join(tempDir(), "musher.db");
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    const reader = openDatabase(file, { create: false });
    const rows = (): number => reader.prepare<[], number>("SELECT count(*) FROM stories").pluck().get()!;
    const many = Array.from({ length: 4_000 }, (_, i) => story(`m${i}`, "held"));
    store.transaction(() => chunk(store, ...many), { durable: false });
    store.transaction(() => {}); // commits the group: every row held
    expect(rows()).toBe(0);
    // Count the turns that saw the drain begun but not done: a slice per turn leaves room for them.
    let between = 0;
    let polling = true;
    const poll = (): void => {
      const n = rows();
      if (n > 0 && n < many.length + 16) between++;
      if (polling) setImmediate(poll);
    };
    poll();
    await waitFor(() => rows() === many.length + 16, "every row written", 10_000);
    polling = false;
    expect(between).toBeGreaterThan(0);
    db.close();
  });
});

/**
 * An ingest (`musher import`) applies its chunks as received batches, in the
 * store's group transaction, and resolves only once all of it is durable; a
 * group that failed to commit meanwhile makes it reject, even when another
 * received batch was told of the failure first.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { Replica } from "../crdt/Replica";
import { newStoryRecord } from "../crdt/StoryRecord";
import { recordingLogger, testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { ingestInChunks } from "./ingestInChunks";
import { DURABLE_MARK_KEY } from "./migrations";
import { openDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), "musher-ingest-")), "musher.db");

/** A history of `count` story creates, as a peer would send it. */
function history(count: number): Uint8Array[] {
  const a = testNode(0);
  const log: Uint8Array[] = [];
  a.replica.onApplied((e) => log.push(...e.changes));
  for (let i = 0; i < count; i++) a.board.create({ name: `s${i}`, stage: "1_backlog", agent: null });
  return log;
}

const replicaOn = (store: SqliteReplicaStore): Replica => new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(1), logger: recordingLogger(), store });

const durableMark = (db: Database.Database): string | undefined =>
  (db.prepare("SELECT value FROM meta WHERE key = ?").get(DURABLE_MARK_KEY) as { value: string } | undefined)?.value;

/** A deferred foreign key fails at COMMIT: the way to make a group's commit fail here (once `arrival` is written). */
function failCommitAfter(db: Database.Database, arrival: number): void {
  db.exec(`
    CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER orphan AFTER INSERT ON changes WHEN NEW.arrival = ${arrival} BEGIN INSERT INTO child (p) VALUES (42); END;
  `);
}

describe("ingestInChunks on SQLite", () => {
  it("applies its chunks in the group transaction and resolves with every change committed and the log made durable", async () => {
    const log = history(300);
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const replica = replicaOn(new SqliteReplicaStore(db));
    const chunks: boolean[] = [];
    // Every chunk is a savepoint in an open group, not a transaction of its own (no fsync per chunk).
    replica.onApplied(() => chunks.push(db.inTransaction));
    const report = await ingestInChunks(replica, log, { firstChunk: 16, budgetMs: 1 });
    expect(report).toEqual({ received: 300, applied: 300, duplicate: 0, pending: 0, rejected: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((open) => open)).toBe(true);
    // When it resolves: no group open, every change visible to another connection, the durable mark at the log's end.
    expect(db.inTransaction).toBe(false);
    const other = openDatabase(file, { create: false });
    expect((other.prepare("SELECT count(*) AS n FROM changes").get() as { n: number }).n).toBe(300);
    expect(durableMark(other)).toBe("300");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL again: the mark's commit synced the WAL
    other.close();
    db.close();
  });

  it("writes no mark when the run wrote nothing (all duplicates)", async () => {
    const log = history(20);
    const db = openDatabase(tempDb(), { create: true });
    const replica = replicaOn(new SqliteReplicaStore(db));
    await ingestInChunks(replica, log);
    db.prepare("DELETE FROM meta WHERE key = ?").run(DURABLE_MARK_KEY);
    expect((await ingestInChunks(replica, log)).duplicate).toBe(20);
    expect(durableMark(db)).toBeUndefined();
    db.close();
  });

  it("rejects when a group of its chunks failed to commit: those changes were rolled back", async () => {
    const log = history(300);
    const db = openDatabase(tempDb(), { create: true });
    failCommitAfter(db, 100);
    const replica = replicaOn(new SqliteReplicaStore(db));
    await expect(ingestInChunks(replica, log, { firstChunk: 16, budgetMs: 1 })).rejects.toThrow("committing received changes failed");
    db.close();
  });
});

describe("SqliteReplicaStore durableRun", () => {
  const story = (id: string) => newStoryRecord(id, "c0", { wall: 1, logical: 0, author: "a".repeat(64), id: "c0" }, { name: id, agent: null, stage: "1_backlog", rank: "V" });

  it("throws at its end for a group that failed during the run, even after another received batch was told", () => {
    const db = openDatabase(tempDb(), { create: true });
    db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
    const store = new SqliteReplicaStore(db);
    const end = store.durableRun();
    store.transaction(() => {
      store.putStory(story("imported"));
      db.exec("INSERT INTO child (p) VALUES (42)");
    }, { durable: false });
    store.settle(); // the group's commit fails (never thrown here)
    // A peer's batch is told first, and goes through on its retry.
    expect(() => store.transaction(() => store.putStory(story("synced")), { durable: false })).toThrow("committing received changes failed");
    store.transaction(() => store.putStory(story("synced")), { durable: false });
    expect(() => end()).toThrow("committing received changes failed");
    expect(store.getStory("imported")).toBeUndefined();
    expect(store.getStory("synced")).toBeDefined();
    // A run begun after the failure ends cleanly.
    const next = store.durableRun();
    store.transaction(() => store.putStory(story("later")), { durable: false });
    next();
    expect(durableMark(db)).toBe("0"); // no change in the log: its last arrival is 0
    db.close();
  });
});

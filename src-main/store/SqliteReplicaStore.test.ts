import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runReplicaStoreContract } from "../../test/support/crdt/replicaStoreContract";
import { newStoryRecord } from "../crdt/StoryRecord";
import { openDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";
import type { ChangeMeta } from "../crdt/ReplicaStore";
import { Replica } from "../crdt/Replica";
import { recordingLogger, testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";

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

  it("answer a lookup of an absent story from memory once the cache holds the whole table (empty at open, or loaded)", () => {
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    store.putStory(story("s1", "cached"));
    // A row written behind the store's back on its own connection (no data_version move): a lookup
    // that went to the table would find it.
    db.prepare("INSERT INTO stories (id, record) VALUES ('s2', (SELECT record FROM stories WHERE id = 's1'))").run();
    expect(store.getStory("s2")).toBeUndefined();
    expect(store.getStory("s1")?.name.value).toBe("cached");
    store.forgetCachedState(); // as the store's header asks after such a write
    expect(store.getStory("s2")?.name.value).toBe("cached");
    // A file that held stories when opened is read from the table until the whole table is loaded.
    const reopenedDb = openDatabase(file, { create: false });
    const reopened = new SqliteReplicaStore(reopenedDb);
    expect(reopened.getStory("s2")?.name.value).toBe("cached");
    expect(reopened.allStories()).toHaveLength(2);
    reopenedDb.prepare("INSERT INTO stories (id, record) VALUES ('s3', (SELECT record FROM stories WHERE id = 's1'))").run();
    expect(reopened.getStory("s3")).toBeUndefined(); // loaded: answered from memory
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

describe("SqliteReplicaStore change lookups from an empty log (answered from memory)", () => {
  const meta = (id: string, seq: number): ChangeMeta => ({ id, author: "a".repeat(64), seq, clock: { wall: seq, logical: 0 }, deps: [], vec: { ["a".repeat(64)]: seq } });

  it("still see a change another connection committed", () => {
    const file = tempDb();
    const a = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const b = new SqliteReplicaStore(openDatabase(file, { create: false }));
    a.putChange(meta("c1", 1), new Uint8Array([1]));
    expect(a.hasChange("c2")).toBe(false);
    b.putChange(meta("c2", 2), new Uint8Array([2]));
    expect(a.hasChange("c2")).toBe(true);
    expect(a.getChangeMeta("c2")?.seq).toBe(2);
    expect(a.transaction(() => a.hasChange("c2"))).toBe(true);
  });

  it("look for another connection's commits once per `reading` run, not once per lookup", () => {
    const file = tempDb();
    const a = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const b = new SqliteReplicaStore(openDatabase(file, { create: false }));
    a.putChange(meta("c1", 1), new Uint8Array([1]));
    a.reading(() => {
      expect(a.hasChange("c2")).toBe(false);
      b.putChange(meta("c2", 2), new Uint8Array([2]));
      expect(a.hasChange("c2")).toBe(false); // not looked for again inside the run (its caller re-checks)
      expect(a.hasPending("c2")).toBe(false);
    });
    expect(a.hasChange("c2")).toBe(true);
  });

  it("forget a change whose transaction rolled back, and still find the ones before it", () => {
    const store = new SqliteReplicaStore(openDatabase(tempDb(), { create: true }));
    store.putChange(meta("c1", 1), new Uint8Array([1]));
    expect(() =>
      store.transaction(() => {
        store.putChange(meta("c2", 2), new Uint8Array([2]));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.hasChange("c2")).toBe(false);
    expect(store.getChangeMeta("c2")).toBeUndefined();
    expect(store.hasChange("c1")).toBe(true); // not in memory any more: read from the table
  });
});

describe("a Replica on one of two connections to a file", () => {
  it("re-checks for duplicates when the other connection applied some after a batch was prepared (its lookups ran in one `reading`)", () => {
    const a = testNode(0);
    const log: Uint8Array[] = [];
    a.replica.onApplied((e) => log.push(...e.changes));
    a.board.create({ name: "one", stage: "1_backlog", agent: null });
    a.board.create({ name: "two", stage: "1_backlog", agent: null });
    const file = tempDb();
    const on = (store: SqliteReplicaStore): Replica => new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(1), logger: recordingLogger(), store });
    const b = on(new SqliteReplicaStore(openDatabase(file, { create: true })));
    const other = on(new SqliteReplicaStore(openDatabase(file, { create: false })));
    const prepared = b.prepareBatch(log);
    if (prepared instanceof Promise) throw new Error("no pool here: prepared in this thread");
    expect(other.receive(log[0]!).status).toBe("applied"); // committed by the other connection
    expect(b.applyPrepared(prepared).map((r) => r.status)).toEqual(["duplicate", "applied"]);
    expect(b.canonicalState()).toBe(a.replica.canonicalState());
  });
});

describe("SqliteReplicaStore write-behind", () => {
  const meta = (id: string, seq: number): ChangeMeta => ({ id, author: "a".repeat(64), seq, clock: { wall: seq, logical: 0 }, deps: [], vec: { ["a".repeat(64)]: seq } });

  it("writes story rows, heads and seqs when the transaction ends, and a savepoint's rollback keeps the writes before it", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const cold = (): SqliteReplicaStore => new SqliteReplicaStore(openDatabase(file, { create: false }));
    store.transaction(() => {
      store.putStory(story("s1", "one"));
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      store.setHeads(["c1"]);
      // Not yet in the table: another connection still sees nothing.
      expect(cold().getStory("s1")).toBeUndefined();
      expect(() =>
        store.transaction(() => {
          store.putStory(story("s1", "rolled back"));
          store.putStory(story("s2", "rolled back"));
          store.putChange(meta("c2", 2), new Uint8Array([2]));
          store.setHeads(["c2"]);
          throw new Error("boom");
        }),
      ).toThrow("boom");
      // The savepoint's writes are gone, the ones before it are not.
      expect(store.getStory("s1")?.name.value).toBe("one");
      expect(store.getStory("s2")).toBeUndefined();
      expect(store.heads()).toEqual(["c1"]);
      expect(store.authorSeqs().get("a".repeat(64))).toBe(1);
      store.putStory(story("s1", "two"));
      store.setHeads(["c1", "c3"]);
      store.setHeads(["c3"]);
    });
    const after = cold();
    expect(after.getStory("s1")?.name.value).toBe("two");
    expect(after.getStory("s2")).toBeUndefined();
    expect(after.heads()).toEqual(["c3"]);
    expect(after.authorSeqs()).toEqual(new Map([["a".repeat(64), 1]]));
    expect(after.hasChange("c2")).toBe(false);
  });

  it("drops every held write when the outermost transaction rolls back", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    store.transaction(() => {
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      store.setHeads(["c1"]);
    });
    expect(() =>
      store.transaction(() => {
        store.putStory(story("s1", "never"));
        store.putChange(meta("c2", 2), new Uint8Array([2]));
        store.setHeads(["c2"]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    for (const s of [store, new SqliteReplicaStore(openDatabase(file, { create: false }))]) {
      expect(s.getStory("s1")).toBeUndefined();
      expect(s.heads()).toEqual(["c1"]);
      expect(s.authorSeqs()).toEqual(new Map([["a".repeat(64), 1]]));
    }
  });

  it("moves its write mark on every write: its own (held or not, kept or rolled back) and another connection's", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const other = new SqliteReplicaStore(openDatabase(file, { create: false }));
    const marks = [store.writeMark()];
    const moved = (): boolean => {
      const now = store.writeMark();
      const differs = !marks.includes(now);
      marks.push(now);
      return differs;
    };
    expect(moved()).toBe(false); // nothing written: the same mark
    store.transaction(() => store.putStory(story("s1", "held")));
    expect(moved()).toBe(true);
    store.transaction(() => {
      const inside = store.writeMark();
      store.setHeads(["c9"]); // held, not yet a row
      expect(store.writeMark()).not.toBe(inside);
    });
    expect(moved()).toBe(true);
    expect(() => store.transaction(() => { store.putChange(meta("c1", 1), new Uint8Array([1])); throw new Error("boom"); })).toThrow("boom");
    expect(moved()).toBe(true);
    other.putStory(story("s2", "elsewhere"));
    expect(moved()).toBe(true);
  });

  it("holds a group's writes across its savepoints, and a failed savepoint puts back what the ones before it held", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const a = "a".repeat(64);
    store.transaction(() => {
      store.putStory(story("r1", "v1"));
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      store.setHeads(["c1"]);
    }, { durable: false });
    expect(() =>
      store.transaction(() => {
        store.putStory(story("r1", "v2"));
        store.putStory(story("r2", "never"));
        store.putChange(meta("c2", 2), new Uint8Array([2]));
        store.setHeads(["c2"]);
        expect(store.allStories().map((r) => r.name.value).sort()).toEqual(["never", "v2"]); // a read that writes the held rows first
        throw new Error("boom");
      }, { durable: false }),
    ).toThrow("boom");
    const check = (s: SqliteReplicaStore): void => {
      expect(s.getStory("r1")?.name.value).toBe("v1");
      expect(s.getStory("r2")).toBeUndefined();
      expect(s.heads()).toEqual(["c1"]);
      expect(s.authorSeqs()).toEqual(new Map([[a, 1]]));
      expect(s.hasChange("c2")).toBe(false);
    };
    check(store);
    store.transaction(() => store.putStory(story("r3", "v1")), { durable: false });
    store.settle();
    const cold = new SqliteReplicaStore(openDatabase(file, { create: false }));
    check(cold);
    expect(cold.allStories().map((r) => r.id).sort()).toEqual(["r1", "r3"]);
  });

  it("rolls a group back when its commit fails, tells the next received batch, and never fails a local edit for it", () => {
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    // A deferred foreign key fails at COMMIT: the way to make a group's commit fail here.
    db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
    store.transaction(() => {
      store.putStory(story("r1", "received"));
      db.exec("INSERT INTO child (p) VALUES (42)");
    }, { durable: false });
    store.settle(); // never throws
    expect(store.getStory("r1")).toBeUndefined(); // rolled back, caches dropped
    expect(db.inTransaction).toBe(false);
    // A local edit goes through; the next received batch is told what happened.
    store.transaction(() => store.putStory(story("l1", "local")));
    expect(() => store.transaction(() => store.putStory(story("r2", "received")), { durable: false })).toThrow("committing received changes failed");
    store.transaction(() => store.putStory(story("r2", "received")), { durable: false });
    store.settle();
    expect(new SqliteReplicaStore(openDatabase(file, { create: false })).allStories().map((r) => r.id).sort()).toEqual(["l1", "r2"]);
  });

  it("groups non-durable transactions into one commit: on a timer, before any other transaction, on settle; a failed one rolls back alone", async () => {
    const file = tempDb();
    const db = openDatabase(file, { create: true });
    const store = new SqliteReplicaStore(db);
    const other = (): SqliteReplicaStore => new SqliteReplicaStore(openDatabase(file, { create: false }));
    const received = (id: string, seq: number): void => {
      store.putChange(meta(id, seq), new Uint8Array([seq]));
      store.putStory(story(id, "received"));
    };
    store.transaction(() => received("r1", 1), { durable: false });
    expect(() => store.transaction(() => { received("r2", 2); throw new Error("boom"); }, { durable: false })).toThrow("boom");
    store.transaction(() => received("r3", 3), { durable: false });
    // One open group: this connection sees its writes, another one nothing yet.
    expect(store.allStories().map((r) => r.id).sort()).toEqual(["r1", "r3"]);
    expect(["r1", "r3"].map((id) => other().hasChange(id))).toEqual([false, false]);
    // A local (durable) transaction commits the group first, then itself (the received story rows lag: see the next test).
    store.transaction(() => store.putStory(story("l1", "local")));
    expect(["r1", "r2", "r3"].map((id) => other().hasChange(id))).toEqual([true, false, true]);
    expect(other().getStory("l1")?.name.value).toBe("local");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL again
    // settle() commits at once; the timer within GROUP_MAX_MS without it.
    store.transaction(() => store.putStory(story("r4", "received")), { durable: false });
    store.settle();
    expect(other().getStory("r4")?.name.value).toBe("received");
    store.transaction(() => store.putStory(story("r5", "received")), { durable: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(other().getStory("r5")?.name.value).toBe("received");
    expect(db.inTransaction).toBe(false);
  });
});

describe("SqliteReplicaStore change rows of a group's savepoint (inserted once it is released)", () => {
  const a = "a".repeat(64);
  const meta = (id: string, seq: number): ChangeMeta => ({ id, author: a, seq, clock: { wall: seq, logical: 0 }, deps: [], vec: { [a]: seq } });
  const open = () => {
    const db = openDatabase(tempDb(), { create: true });
    const rows = (): string[] => db.prepare<[], string>("SELECT id FROM changes ORDER BY arrival").pluck().all();
    return { db, store: new SqliteReplicaStore(db), rows };
  };
  const received = <T>(store: SqliteReplicaStore, fn: () => T): T => store.transaction(fn, { durable: false });

  it("holds them out of the table in the savepoint, and every read of the log sees them", () => {
    const { store, rows } = open();
    received(store, () => {
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      store.putChange(meta("c2", 2), new Uint8Array([2]));
      expect(rows()).toEqual([]); // held
      expect([store.hasChange("c1"), store.getChangeMeta("c2")?.seq]).toEqual([true, 2]);
    });
    expect(rows()).toEqual(["c1", "c2"]); // inserted after the release, in arrival order
    const reads: [string, (seq: number) => unknown, (seq: number) => unknown][] = [
      ["bytes", (n) => store.getChangeBytes(`c${n}`), (n) => new Uint8Array([n])],
      ["by seq", (n) => store.changesBySeq(a, n), (n) => [`c${n}`]],
      ["keys", (n) => store.changeKeys(a, n, n).map((k) => k.id), (n) => [`c${n}`]],
      ["arrival", (n) => store.changesInArrival(n - 1, 10).map((r) => r.id), (n) => [`c${n}`]],
      ["last arrival", () => store.lastArrival(), (n) => n],
      ["arrival bytes", (n) => store.changeBytesInArrival(n, n).map((r) => `${r.id}=${r.bytes.join()}`), (n) => [`c${n}=${n}`]],
    ];
    let seq = 2;
    for (const [name, read, want] of reads) {
      seq++;
      received(store, () => {
        store.putChange(meta(`c${seq}`, seq), new Uint8Array([seq]));
        expect(rows(), name).not.toContain(`c${seq}`);
        expect(read(seq), name).toEqual(want(seq));
      });
    }
    received(store, () => {
      store.putChange(meta("fork", seq), new Uint8Array([0]));
      expect(store.forkedSeqs(a)).toEqual([seq]);
    });
    expect(rows()).toEqual(["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "fork"]);
  });

  it("drops a rolled-back savepoint's rows, not those held before a savepoint nested in it", () => {
    const { store, rows } = open();
    received(store, () => store.putChange(meta("c1", 1), new Uint8Array([1])));
    expect(() => received(store, () => {
      store.putChange(meta("c2", 2), new Uint8Array([2]));
      throw new Error("boom");
    })).toThrow("boom");
    received(store, () => {
      store.putChange(meta("c3", 3), new Uint8Array([3]));
      expect(() => store.transaction(() => {
        store.putChange(meta("c4", 4), new Uint8Array([4]));
        throw new Error("inner");
      })).toThrow("inner");
      store.putChange(meta("c5", 5), new Uint8Array([5]));
    });
    store.settle();
    expect(rows()).toEqual(["c1", "c3", "c5"]);
    expect(["c2", "c4"].map((id) => store.hasChange(id))).toEqual([false, false]);
  });

  it("rolls the whole group back when a held row cannot be inserted, and says so", () => {
    const { db, store, rows } = open();
    // A trigger refuses one id: the way to make a held row's insert fail here (as a full disk or a damaged file would).
    db.exec("CREATE TRIGGER refuse_c3 BEFORE INSERT ON changes WHEN NEW.id = 'c3' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    received(store, () => {
      store.putChange(meta("c1", 1), new Uint8Array([1]));
      store.putStory(story("s1", "received"));
    });
    expect(() => received(store, () => {
      store.putChange(meta("c2", 2), new Uint8Array([2]));
      store.putChange(meta("c3", 3), new Uint8Array([3]));
    })).toThrow("writing received changes failed; their group was rolled back");
    expect(db.inTransaction).toBe(false);
    expect(rows()).toEqual([]);
    expect([store.hasChange("c1"), store.hasChange("c2"), store.hasChange("c3"), store.getStory("s1")]).toEqual([false, false, false, undefined]);
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL again
    received(store, () => store.putChange(meta("c1", 1), new Uint8Array([1])));
    store.settle();
    expect(rows()).toEqual(["c1"]);
  });
});

describe("SqliteReplicaStore compact log (schema v5)", () => {
  const key = (c: string): string => c.repeat(64);
  const change = (id: string, author: string, seq: number, vec: Record<string, number>, deps: string[] = []): ChangeMeta => ({
    id: key(id),
    author: key(author),
    seq,
    clock: { wall: 1_700_000_000_000 + seq, logical: seq % 3 },
    deps: deps.map(key),
    vec: Object.fromEntries(Object.entries(vec).map(([a, n]) => [key(a), n])),
  });

  it("stores raw ids, author idxs and a binary vector, and reads the same metas back cold", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    const metas = [change("1", "a", 1, { a: 1 }), change("2", "b", 1, { a: 1, b: 1 }, ["1"]), change("3", "a", 2, { a: 2, b: 1 }, ["1", "2"])];
    store.transaction(() => metas.forEach((m, i) => store.putChange(m, new Uint8Array([i]))));
    const db = openDatabase(file, { create: false });
    const rows = db.prepare<[], { id: Buffer; author: number; deps: Buffer; vec: Buffer }>("SELECT id, author, deps, vec FROM changes ORDER BY arrival").all();
    expect(rows.map((r) => [r.id.length, r.author, r.deps.length])).toEqual([[32, 1, 0], [32, 2, 32], [32, 1, 64]]);
    expect(rows[2]!.vec).toEqual(Buffer.from([1, 2, 1, 1])); // (idx 1, seq 2), (delta 1, seq 1)
    const cold = new SqliteReplicaStore(db);
    for (const m of metas) expect(cold.getChangeMeta(m.id)).toEqual(m);
    expect([...cold.authorSeqs()]).toEqual([[key("a"), 2], [key("b"), 1]]);
    expect(cold.changesBySeq(key("c"), 1)).toEqual([]);
    expect(cold.forkedSeqs(key("c"))).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM authors").get()).toEqual({ n: 2 }); // reading an unknown author added nothing
  });

  it("reads a run of changes by position with the bytes they were received with (a cut author key restored)", () => {
    const author = testNode(0);
    const sent: Uint8Array[] = [];
    author.replica.onApplied((e) => sent.push(...e.changes));
    for (let i = 0; i < 5; i++) author.board.create({ name: `s${i}`, stage: "1_backlog", agent: null });
    const store = new SqliteReplicaStore(openDatabase(tempDb(), { create: true }));
    const replica = new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(1), logger: recordingLogger(), store, now: () => 5_000 });
    expect(replica.receiveBatch(sent).map((r) => r.status)).toEqual(Array(5).fill("applied"));
    const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
    const run = store.changeBytesInArrival(1, 5);
    expect(run.map((r) => r.arrival)).toEqual([1, 2, 3, 4, 5]);
    expect(run.map((r) => hex(r.bytes))).toEqual(sent.map(hex));
    expect(run.map((r) => hex(store.getChangeBytes(r.id)!))).toEqual(sent.map(hex));
    expect(store.changeBytesInArrival(2, 3).map((r) => r.id)).toEqual([run[1]!.id, run[2]!.id]);
    expect(store.changeBytesInArrival(6, 9)).toEqual([]);
  });

  it("never reuses the idx of an author added by a transaction that rolled back", () => {
    const file = tempDb();
    const store = new SqliteReplicaStore(openDatabase(file, { create: true }));
    expect(() =>
      store.transaction(() => {
        store.putChange(change("1", "a", 1, { a: 1 }), new Uint8Array([1])); // author a gets idx 1, then it is rolled back
        throw new Error("boom");
      }),
    ).toThrow("boom");
    store.transaction(() => store.putChange(change("2", "b", 1, { b: 1 }), new Uint8Array([2]))); // b now holds idx 1
    store.transaction(() => store.putChange(change("3", "a", 1, { a: 1, b: 1 }, ["2"]), new Uint8Array([3])));
    store.flagEquivocation(key("a"));
    const cold = new SqliteReplicaStore(openDatabase(file, { create: false }));
    expect(cold.getChangeMeta(key("2"))?.author).toBe(key("b"));
    expect(cold.getChangeMeta(key("3"))).toEqual(change("3", "a", 1, { a: 1, b: 1 }, ["2"]));
    expect(cold.equivocators()).toEqual([key("a")]);
    expect(cold.changesBySeq(key("a"), 1)).toEqual([key("3")]);
  });
});

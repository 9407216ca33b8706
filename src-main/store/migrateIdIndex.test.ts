/**
 * Schema v6's id index (`migrateIdIndex`): a lookup by id uses it (the
 * query repeats its expression exactly), it is the only index on the id,
 * and ids that share the 8 bytes it keys on are told apart by the whole id:
 * held, absent, and read back, through SQL rather than the store's cache.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChangeMeta } from "../crdt/ReplicaStore";
import { openDatabase } from "./openDatabase";
import { CHANGE_BY_ID } from "./replicaStatements";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), "musher-id-index-")), "musher.db");

const meta = (id: string, seq: number): ChangeMeta => ({
  id,
  author: "a".repeat(64),
  seq,
  clock: { wall: 1_700_000_000_000 + seq, logical: 0 },
  deps: [],
  vec: { ["a".repeat(64)]: seq },
});

describe("the changes id index (schema v6)", () => {
  it("is what a lookup by id searches, and the only index on the id (not UNIQUE: 8 bytes can collide)", () => {
    const db = openDatabase(tempDb(), { create: true });
    try {
      const plan = db.prepare<[{ id: Buffer }], { detail: string }>(`EXPLAIN QUERY PLAN SELECT 1 FROM changes WHERE ${CHANGE_BY_ID}`).all({ id: Buffer.alloc(32) });
      expect(plan.map((p) => p.detail)).toEqual(["SEARCH changes USING INDEX changes_by_id (<expr>=?)"]);
      const indexes = db.prepare<[], { name: string; unique: number }>("SELECT name, \"unique\" FROM pragma_index_list('changes') ORDER BY name").all();
      expect(indexes).toEqual([
        { name: "changes_by_author_seq", unique: 0 },
        { name: "changes_by_id", unique: 0 },
      ]);
    } finally {
      db.close();
    }
  });

  it("tells apart ids that share their first 8 bytes", () => {
    const prefix = "ab".repeat(8);
    const [first, second, absent] = ["1", "2", "3"].map((c) => prefix + c.repeat(48)) as [string, string, string];
    const db = openDatabase(tempDb(), { create: true });
    const store = new SqliteReplicaStore(db);
    try {
      store.transaction(() => {
        store.putChange(meta(first, 1), new Uint8Array([1]));
        store.putChange(meta(second, 2), new Uint8Array([2]));
      });
      store.forgetCachedState(); // from here on every read is a query
      expect([first, second, absent].map((id) => store.hasChange(id))).toEqual([true, true, false]);
      expect([first, second, absent].map((id) => store.getChangeMeta(id)?.seq)).toEqual([1, 2, undefined]);
      expect([first, second, absent].map((id) => store.getChangeBytes(id))).toEqual([new Uint8Array([1]), new Uint8Array([2]), undefined]);
    } finally {
      db.close();
    }
  });
});

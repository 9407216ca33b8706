/**
 * The node's SQLite `meta` table as a key/value table for crdt reducers
 * that keep a few settings (`StageLimits`): the same database, so a value
 * is written in the same transaction as the change that sets it.
 */
import type Database from "better-sqlite3";
import type { KeyValueTable } from "../crdt/StageLimits";

export function metaKeyValueTable(db: Database.Database): KeyValueTable {
  const select = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const upsert = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return {
    get: (k) => select.get(k)?.value,
    put: (k, v) => void upsert.run(k, v),
  };
}

/**
 * The prepared statements of `SqliteReplicaStore` (its log, indexes, story
 * rows and the lag mark), one set per store instance: no module-level
 * state. The pending queue's are in `SqlitePendingQueue`.
 */
import type Database from "better-sqlite3";
import { idColumn, type IdValue } from "./idColumn";
import { DURABLE_MARK_KEY, STORIES_LAG_KEY } from "./migrations";
import type { StoryValue } from "./storyColumn";

export interface ChangeRow {
  author: number;
  seq: number;
  clock_wall: number;
  clock_logical: number;
  /** NULL when the deps are read from the cut format-2 `bytes` (bytesColumn). */
  deps: IdValue | null;
  vec: Buffer;
  bytes: Buffer | null;
}

/**
 * A change row by id (`@id`): the id index is on the first 8 bytes
 * (`migrateIdIndex`; the expression must be the index's, letter for letter,
 * or the lookup scans the table), then the whole id is compared.
 */
export const CHANGE_BY_ID = "substr(id, 1, 8) = substr(@id, 1, 8) AND id = @id";
export interface ById {
  id: IdValue;
}

export function replicaStatements(db: Database.Database) {
  return {
    getStory: db.prepare<[string], { record: StoryValue }>("SELECT record FROM stories WHERE id = ?"),
    putStory: db.prepare<[string, StoryValue]>("INSERT INTO stories (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record"),
    anyStory: db.prepare<[], { one: number }>("SELECT 1 AS one FROM stories LIMIT 1"),
    allStories: db.prepare<[], { id: string; record: StoryValue }>("SELECT id, record FROM stories ORDER BY id"),
    hasChange: db.prepare<[ById], { one: number }>(`SELECT 1 AS one FROM changes WHERE ${CHANGE_BY_ID}`),
    // The bytes only when the deps live in them (no deps column): the usual format-2 row.
    getMeta: db.prepare<[ById], ChangeRow>(`SELECT author, seq, clock_wall, clock_logical, deps, vec, CASE WHEN deps IS NULL THEN bytes END AS bytes FROM changes WHERE ${CHANGE_BY_ID}`),
    getBytes: db.prepare<[ById], { bytes: Buffer; author: number }>(`SELECT bytes, author FROM changes WHERE ${CHANGE_BY_ID}`),
    putChange: db.prepare<[IdValue, number, number, number, number, IdValue | null, Buffer, Buffer]>(
      "INSERT INTO changes (id, author, seq, clock_wall, clock_logical, deps, vec, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    raiseSeq: db.prepare<[number, number]>(
      "INSERT INTO author_seqs (author, max_seq) VALUES (?, ?) ON CONFLICT (author) DO UPDATE SET max_seq = max(max_seq, excluded.max_seq)",
    ),
    bySeq: db.prepare<[number, number], IdValue>("SELECT id FROM changes WHERE author = ? AND seq = ? ORDER BY arrival").pluck(),
    keys: db.prepare<[number, number, number], { id: IdValue; seq: number; clock_wall: number; clock_logical: number }>(
      "SELECT id, seq, clock_wall, clock_logical FROM changes WHERE author = ? AND seq BETWEEN ? AND ? ORDER BY seq, arrival",
    ),
    arrivals: db
      .prepare<[number, number], [arrival: number, id: string | null, author: number, seq: number]>(
        `SELECT arrival, ${idColumn.sqlDecoded("id")}, author, seq FROM changes WHERE arrival > ? ORDER BY arrival LIMIT ?`,
      )
      .raw(),
    // Serving a catch-up planned in arrival order: a run of rows in file order, not a lookup per id.
    bytesInArrival: db
      .prepare<[number, number], [arrival: number, id: string | null, author: number, bytes: Buffer]>(
        `SELECT arrival, ${idColumn.sqlDecoded("id")}, author, bytes FROM changes WHERE arrival BETWEEN ? AND ? ORDER BY arrival`,
      )
      .raw(),
    lastArrival: db.prepare<[], { last: number | null }>("SELECT max(arrival) AS last FROM changes"),
    authorSeqs: db.prepare<[], { key: IdValue; max_seq: number }>("SELECT a.key, s.max_seq FROM author_seqs s JOIN authors a ON a.idx = s.author"),
    forked: db.prepare<[number], number>("SELECT seq FROM changes WHERE author = ? GROUP BY seq HAVING count(*) > 1 ORDER BY seq").pluck(),
    flag: db.prepare<[number]>("INSERT OR IGNORE INTO equivocators (author) VALUES (?)"),
    equivocators: db.prepare<[], IdValue>("SELECT a.key FROM equivocators e JOIN authors a ON a.idx = e.author").pluck(),
    heads: db.prepare<[], IdValue>("SELECT id FROM heads").pluck(),
    addHead: db.prepare<[IdValue]>("INSERT OR IGNORE INTO heads (id) VALUES (?)"),
    dropHead: db.prepare<[IdValue]>("DELETE FROM heads WHERE id = ?"),
    markLag: db.prepare(`INSERT INTO meta (key, value) VALUES ('${STORIES_LAG_KEY}', '1') ON CONFLICT (key) DO NOTHING`),
    unmarkLag: db.prepare(`DELETE FROM meta WHERE key = '${STORIES_LAG_KEY}'`),
    lagMarked: db.prepare<[], { one: number }>(`SELECT 1 AS one FROM meta WHERE key = '${STORIES_LAG_KEY}'`),
    markDurable: db.prepare<[string]>(`INSERT INTO meta (key, value) VALUES ('${DURABLE_MARK_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    totalChanges: db.prepare<[], number>("SELECT total_changes()").pluck(),
  };
}

export type ReplicaStatements = ReturnType<typeof replicaStatements>;

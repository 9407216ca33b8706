/**
 * The database schema, as an ordered list of forward migrations. Migration i
 * takes a database from `user_version` i to i + 1; each runs in its own
 * transaction together with the version bump, so a crash mid-upgrade leaves
 * the previous version intact. Never edit a shipped migration: append one.
 *
 * Layout (v1):
 * - `changes`: the log. `arrival` (the rowid) is the order changes were
 *   applied here — a causal order, so replaying by `arrival` always finds a
 *   change's deps already applied. `bytes` are the exact signed wire bytes;
 *   id/author/seq/clock/deps/vec are the `ChangeMeta` validation needs.
 * - `heads`, `author_seqs`, `equivocators`: indexes the replica keeps current
 *   in the same transaction as the log (never recomputed on open).
 * - `pending` + `pending_waits`: changes waiting for deps (oldest = lowest
 *   arrival) and the dep → waiter index; `pending_totals` is a one-row
 *   running count/bytes so the bound check is O(1), not a scan.
 * - `stories`: materialized state, one row per story, the whole
 *   `StoryRecord` (every register and per-field clock) as canonical JSON.
 *   No other column is queried, so no other column is kept.
 * - `meta`: key/value for the node's identity seed, the workspace id and the
 *   HLC (see openNodeStore).
 *
 * Layout (v2, memory — folded from the same changes by `MemoryReducer`):
 * - `sessions`: one row per session, the whole `SessionRecord` as JSON, with
 *   `story`/`created_at` copied out for the story filter and ordering;
 * - `messages`: one row per message id; `cell` is the effective memcell that
 *   holds it or NULL (then it is in the buffer): the pending-buffer query is
 *   one index range;
 * - `memcells`: the `MemCellRecord` as JSON with `effective`/`hidden` and the
 *   time span copied out for listing and search filters;
 * - `memory_docs` + `memory_fts`: what search can find — buffered messages
 *   and effective, visible memcells, and nothing else (`kind` 'm' or 'c',
 *   `ref` = the id) — and an external-content FTS5 index over them. A
 *   message leaves the documents when a memcell takes it (and comes back if
 *   that memcell loses), a memcell when it is hidden or loses; so a common
 *   word matches only what can be shown, not the whole history.
 *
 * v3 (Byzantine hardening — clocks are claims, see `crdt/Hlc.ts`):
 * - `changes.clock_wall` / `clock_logical` now hold each change's EFFECTIVE
 *   clock (derived from its claim and its deps'), recomputed here in
 *   arrival order (a causal order); the claim stays in the signed bytes;
 * - the stored local HLC (`meta` key `clock`) is dropped: an old node may
 *   have adopted a poisoned remote clock there, and nothing reads it now;
 * - the board and memory rows hold stamps in the old order, so the
 *   migration sets `meta` key `rederive`: the node re-derives them from the
 *   log on its next open (`rederiveAfterUpgrade`) — a migration has no
 *   replica to replay with.
 *
 * v4 — memory search v2:
 * - `memory_docs.text`: a memcell document's FULL message text (its messages
 *   in `messageIds` order, one `sender: content` per message, separated by
 *   U+001E, which is replaced by a space inside a message; '' for a
 *   buffered message's document). A memcell is still one
 *   document, so a common word matches about one document per memcell, not
 *   one per message; but no word of a memorized message is lost to the
 *   digest's cuts; `memory_docs.body` of a memcell becomes '' unless it has
 *   a summary (an LLM's episode text): an extractive digest is a cut of the
 *   same messages, indexing it too would count every word twice;
 * - `memory_fts` re-created with a third column over `text` and the
 *   `porter unicode61 remove_diacritics 2` tokenizer (word forms: reconnect /
 *   reconnecting / reconnected), re-indexed from the rows;
 * - `session_activity`: per session and author, the latest change time
 *   (`wrote`: any session/msg/cell/segmenter op; `added`: msg ops only) —
 *   what the segmenter takeover rule reads. Back-filled from the log.
 *
 * v5 — the compact change log (issue 14; `migrateCompactLog`):
 * - `authors (idx INTEGER PRIMARY KEY, key)`: every author key once; the
 *   tables below name an author by its idx. idxs are given in order of
 *   first appearance and never change or get reused.
 * - `changes`: `id` is the 32 raw bytes of the SHA-256 (UNIQUE), `author`
 *   the idx, `deps` one BLOB of 32-byte ids (empty = a root), `vec` uvarint
 *   pairs (author idx delta, seq) sorted by idx (`vecColumn`); `arrival`,
 *   `seq`, the effective clock and the opaque signed `bytes` as before.
 *   Still a rowid table: `arrival` is the replay order and the rowid, the
 *   UNIQUE(id) index is the only copy of the id besides the row. Measured
 *   (20,000 changes, dbstat): rowid table + UNIQUE(id) + (author, seq) =
 *   503 + 45 + 13 B per change; WITHOUT ROWID keyed by id = 598 + 46 (its
 *   UNIQUE(arrival)) + 42 (the (author, seq) index then carries the 32-byte
 *   key, not a rowid) — 124 B more.
 * - A format-2 change's `bytes` are kept without the 32-byte author key
 *   (the `author` idx names it) under the leading byte 0x82, and its `deps`
 *   column is NULL (the deps are read from the bytes at a fixed offset);
 *   `getChangeBytes`, export and rebuild restore the exact signed bytes
 *   (`bytesColumn`). Format-1 rows keep their bytes and deps column.
 * - `stories.record` is `ANY`: a compact BLOB (`storyColumn`: every distinct
 *   stamp once as uvarints + author idx + 32-byte id, each use a 1-byte
 *   index, no keys), or the JSON TEXT for a record the compact form cannot
 *   hold exactly. Measured (20,000 changes, 8 authors): 563 → 61 B per
 *   change for the table.
 * - `heads`, `pending.id`, `pending.missing`, `pending_waits`: raw ids;
 *   `author_seqs`, `equivocators`: keyed by author idx.
 * - Id and key columns are `ANY`: a 64-hex id/key is stored as a BLOB, any
 *   other string (tests' "c1") as TEXT (`idColumn`), never confusable.
 * - After an existing file crosses v5, `migrate` VACUUMs it once (outside
 *   the transactions): the rewrite freed about half its pages, and the file
 *   would otherwise keep its old size.
 *
 * v6 — the id index keyed by 8 bytes (issue 14; `migrateIdIndex`):
 * - `changes.id` is no longer UNIQUE; the index `changes_by_id` is on
 *   `substr(id, 1, 8)` (not unique: 8 bytes can collide), and every lookup
 *   by id is `substr(id, 1, 8) = substr(@id, 1, 8) AND id = @id`, which
 *   finds the prefix in the index and compares the whole id in the row.
 *   A random 32-byte key dirtied ~4x the index pages per group commit.
 * - A file that crosses v6 is VACUUMed once, like v5 (the old index's pages).
 */
import type Database from "better-sqlite3";
import { decodeChange } from "../crdt/changeCodec";
import { effectiveClock, ZERO_HLC, type Hlc } from "../crdt/Hlc";
import { migrateCompactLog } from "./migrateCompactLog";
import { migrateIdIndex } from "./migrateIdIndex";

/** `PRAGMA application_id` of every Musher database: "Mush" in ASCII. */
export const MUSHER_APPLICATION_ID = 0x4d757368;

export type Migration = (db: Database.Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE changes (
        arrival INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        author TEXT NOT NULL,
        seq INTEGER NOT NULL,
        clock_wall INTEGER NOT NULL,
        clock_logical INTEGER NOT NULL,
        deps TEXT NOT NULL,
        vec TEXT NOT NULL,
        bytes BLOB NOT NULL
      ) STRICT;
      CREATE INDEX changes_by_author_seq ON changes (author, seq);
      CREATE TABLE heads (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      CREATE TABLE author_seqs (author TEXT PRIMARY KEY, max_seq INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      CREATE TABLE equivocators (author TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      CREATE TABLE pending (
        arrival INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        bytes BLOB NOT NULL,
        missing TEXT NOT NULL
      ) STRICT;
      CREATE TABLE pending_waits (dep TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (dep, id)) STRICT, WITHOUT ROWID;
      CREATE TABLE pending_totals (only INTEGER PRIMARY KEY CHECK (only = 1), count INTEGER NOT NULL, bytes INTEGER NOT NULL) STRICT;
      INSERT INTO pending_totals VALUES (1, 0, 0);
      CREATE TABLE stories (id TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;
    `),
  (db) =>
    db.exec(`
      CREATE TABLE sessions (id TEXT PRIMARY KEY, story TEXT, created_at INTEGER NOT NULL, record TEXT NOT NULL) STRICT;
      CREATE INDEX sessions_by_story ON sessions (story, created_at);
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        session TEXT NOT NULL,
        ts INTEGER NOT NULL,
        sender TEXT NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        creators TEXT NOT NULL,
        cell TEXT
      ) STRICT;
      CREATE INDEX messages_by_session ON messages (session, cell, ts, id);
      CREATE TABLE memcells (
        id TEXT PRIMARY KEY,
        session TEXT NOT NULL,
        effective INTEGER NOT NULL,
        hidden INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        record TEXT NOT NULL
      ) STRICT;
      CREATE INDEX memcells_by_session ON memcells (session, effective, started_at, id);
      CREATE TABLE memory_docs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL UNIQUE,
        session TEXT NOT NULL,
        ts INTEGER NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;
      CREATE VIRTUAL TABLE memory_fts USING fts5 (title, body, content = 'memory_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
    `),
  (db) => {
    const read = db.prepare<[], { arrival: number; id: string; clock_wall: number; clock_logical: number; deps: string }>(
      "SELECT arrival, id, clock_wall, clock_logical, deps FROM changes ORDER BY arrival",
    );
    const write = db.prepare<[number, number, number]>("UPDATE changes SET clock_wall = ?, clock_logical = ? WHERE arrival = ?");
    const clocks = new Map<string, Hlc>();
    for (const row of read.all()) {
      const deps = (JSON.parse(row.deps) as string[]).map((d) => clocks.get(d) ?? ZERO_HLC);
      const eff = effectiveClock({ wall: row.clock_wall, logical: row.clock_logical }, deps);
      clocks.set(row.id, eff);
      if (eff.wall !== row.clock_wall || eff.logical !== row.clock_logical) write.run(eff.wall, eff.logical, row.arrival);
    }
    db.exec(`DELETE FROM meta WHERE key = 'clock'`);
    if (clocks.size > 0) db.exec(`INSERT INTO meta (key, value) VALUES ('${REDERIVE_KEY}', '1') ON CONFLICT (key) DO UPDATE SET value = '1'`);
  },
  migrateMemorySearch,
  migrateCompactLog,
  migrateIdIndex,
];

/** `meta` key set when the derived tables must be rebuilt from the log on the next open. */
export const REDERIVE_KEY = "rederive";
/** `meta` key present while story rows of committed changes are not all written (SqliteReplicaStore "Story rows lag"): the same rebuild on open. */
export const STORIES_LAG_KEY = "stories_lag";
/** `meta` key written by the FULL commit that ends a durable run (SqliteReplicaStore `durableRun`): the log's last arrival then. Its fsync is the point; a commit writing nothing would not sync. */
export const DURABLE_MARK_KEY = "durable_through";

/** Memory search v2 (see the header): full message text, stemming, session activity. */
export function migrateMemorySearch(db: Database.Database): void {
  db.exec(`
    DROP TABLE memory_fts;
    ALTER TABLE memory_docs ADD COLUMN text TEXT NOT NULL DEFAULT '';
    UPDATE memory_docs SET text = (
      SELECT coalesce(group_concat(replace(m.sender || ': ' || m.content, char(30), ' '), char(30) ORDER BY j.key), '')
      FROM memcells c, json_each(c.record, '$.messageIds') j JOIN messages m ON m.id = j.value
      WHERE c.id = memory_docs.ref
    ) WHERE kind = 'c';
    -- An extractive digest (no summary) is indexed through the full text only (see indexedContent).
    UPDATE memory_docs SET body = '' WHERE kind = 'c' AND ref IN (SELECT id FROM memcells WHERE json_extract(record, '$.summary') IS NULL);
    CREATE VIRTUAL TABLE memory_fts USING fts5 (
      title, body, text, content = 'memory_docs', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
    );
    INSERT INTO memory_fts (memory_fts) VALUES ('rebuild');
    CREATE TABLE session_activity (
      session TEXT NOT NULL,
      author TEXT NOT NULL,
      wrote INTEGER NOT NULL,
      added INTEGER,
      PRIMARY KEY (session, author)
    ) STRICT, WITHOUT ROWID;
    -- A format-1 change is 0x01, a 64-byte signature, then its canonical JSON body.
    INSERT INTO session_activity (session, author, wrote, added)
      SELECT json_extract(o.value, '$.session'), c.author, max(c.clock_wall),
             max(CASE WHEN json_extract(o.value, '$.t') = 'msg' THEN c.clock_wall END)
      FROM changes c, json_each(CASE WHEN substr(c.bytes, 1, 1) = x'01' THEN CAST(substr(c.bytes, 66) AS TEXT) ELSE '{}' END, '$.ops') o
      WHERE json_extract(o.value, '$.t') IN ('session', 'msg', 'cell', 'segmenter')
        AND json_extract(o.value, '$.session') IN (SELECT id FROM sessions)
      GROUP BY 1, 2;
  `);
  backfillActivityV2(db);
}

/**
 * The same back-fill for binary (format 2) changes, which SQL cannot read. A
 * data dir at the schema before this migration was written by a build that
 * wrote format 1 only, so this finds rows only in a dir taken back to that
 * schema (the migration test does); it keeps the migration right for any log.
 */
function backfillActivityV2(db: Database.Database): void {
  const workspace = (db.prepare("SELECT value FROM meta WHERE key = 'workspace_id'").get() as { value: string } | undefined)?.value;
  if (workspace === undefined) return;
  const sessions = db.prepare("SELECT 1 FROM sessions WHERE id = ?").pluck();
  const upsert = db.prepare(`
    INSERT INTO session_activity (session, author, wrote, added) VALUES (?, ?, ?, ?)
    ON CONFLICT (session, author) DO UPDATE SET
      wrote = max(wrote, excluded.wrote),
      added = CASE WHEN added IS NULL THEN excluded.added WHEN excluded.added IS NULL THEN added ELSE max(added, excluded.added) END
  `);
  const rows = db.prepare("SELECT author, clock_wall AS wall, bytes FROM changes WHERE substr(bytes, 1, 1) = x'02'").all() as { author: string; wall: number; bytes: Buffer }[];
  for (const row of rows) {
    const decoded = decodeChange(row.bytes, workspace);
    if (!decoded.ok) continue;
    for (const op of decoded.value.change.ops) {
      if ((op.t === "session" || op.t === "msg" || op.t === "cell" || op.t === "segmenter") && sessions.get(op.session) !== undefined) {
        upsert.run(op.session, row.author, row.wall, op.t === "msg" ? row.wall : null);
      }
    }
  }
}

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The last version whose migration rewrites the log: a file that crosses it is VACUUMed once afterwards. */
const LAST_LOG_REWRITE = MIGRATIONS.indexOf(migrateIdIndex) + 1;

/** Brings `db` from its `user_version` to SCHEMA_VERSION, one transaction per step. */
export function migrate(db: Database.Database): void {
  const from = db.pragma("user_version", { simple: true }) as number;
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  // A new database (from 0) has nothing to give back; an in-memory one has no file.
  if (from > 0 && from < LAST_LOG_REWRITE && db.name !== ":memory:") compactFile(db);
}

/**
 * VACUUM after the log rewrite. Only space is at stake (freed pages are
 * reused by later writes anyway), so a failure — e.g. another process
 * holding the file busy past the timeout — must not refuse the open: it is
 * reported as a process warning and the upgrade stands.
 */
function compactFile(db: Database.Database): void {
  try {
    db.exec("VACUUM");
  } catch (err) {
    process.emitWarning(`musher: ${db.name} was upgraded but not compacted (${err instanceof Error ? err.message : String(err)}); its free pages will be reused`, { code: "MUSHER_VACUUM_SKIPPED" });
  }
}

/**
 * Schema v5, the compact change log (issue 14; layout in migrations.ts):
 * rewrites `changes`, `heads`, `author_seqs`, `equivocators`, `pending` and
 * `pending_waits` from hex TEXT and JSON into raw ids, author idxs and binary
 * seq vectors, and `stories` from JSON into compact rows (`storyColumn`), inside the one transaction `migrate` gives it.
 *
 * Invariants:
 * - Nothing is lost or reordered: every row is copied with its `arrival`
 *   (the log's causal replay order, the pending queue's age order); ids,
 *   clocks and the signed `bytes` are copied as they are.
 * - Authors get their idx in order of first appearance in the log, so the
 *   oldest (usually busiest) authors have the smallest idxs and deltas.
 * - The conversion runs in SQL with JavaScript functions registered on this
 *   connection (pure functions of their argument and the author map, which
 *   is complete before they run); a value that does not parse fails the
 *   migration — and so its transaction — rather than being guessed.
 */
import type Database from "better-sqlite3";
import { idColumn, type IdValue } from "./idColumn";
import { vecColumn } from "./vecColumn";
import { AuthorIndex } from "./AuthorIndex";
import { bytesColumn } from "./bytesColumn";
import { storyColumn, type StoryValue } from "./storyColumn";
import type { StoryRecord } from "../crdt/StoryRecord";

export function migrateCompactLog(db: Database.Database): void {
  db.exec("CREATE TABLE authors (idx INTEGER PRIMARY KEY, key ANY NOT NULL UNIQUE) STRICT");
  const known = new Map<string, number>();
  const add = db.prepare<[IdValue]>("INSERT INTO authors (key) VALUES (?)");
  const addAuthor = (key: string): void => {
    if (!known.has(key)) known.set(key, Number(add.run(idColumn.encode(key)).lastInsertRowid));
  };
  const keys = (sql: string): string[] => db.prepare<[], string>(sql).pluck().all();
  for (const key of keys("SELECT author FROM changes GROUP BY author ORDER BY min(arrival)")) addAuthor(key);
  // Subsets of the above in any consistent log; taken anyway, so no row can name an author without an idx.
  // (A vector that is not JSON is skipped here and refused below, where the error can name its row.)
  for (const key of keys("SELECT DISTINCT j.key FROM changes, json_each(CASE WHEN json_valid(changes.vec) THEN changes.vec ELSE '{}' END) j")) addAuthor(key);
  for (const key of keys("SELECT author FROM author_seqs UNION SELECT author FROM equivocators")) addAuthor(key);

  const idxOf = (key: string): number => {
    const idx = known.get(key);
    if (idx === undefined) throw new Error(`author ${key} has no idx`);
    return idx;
  };
  const fn = { deterministic: true, safeIntegers: false } as const;
  db.function("musher_v5_id", fn, (id: unknown) => idColumn.encode(text(id)));
  // The second argument names the row in the error a value that does not parse ends the migration with.
  db.function("musher_v5_ids", fn, (json: unknown, row: unknown) => atRow(row, () => idColumn.encodeList(stringArray(json))));
  db.function("musher_v5_author", fn, (key: unknown) => idxOf(text(key)));
  // A format-2 change is stored without its author key and its deps column (bytesColumn).
  db.function("musher_v5_bytes", fn, (bytes: unknown, author: unknown) => bytesColumn.cut(blob(bytes), text(author)).stored);
  db.function("musher_v5_cut", fn, (bytes: unknown, author: unknown) => (bytesColumn.cut(blob(bytes), text(author)).cut ? 1 : 0));
  db.function("musher_v5_vec", fn, (json: unknown, row: unknown) => atRow(row, () => vecColumn.encode(seqVector(json), idxOf)));

  db.exec(`
    CREATE TABLE changes_v5 (
      arrival INTEGER PRIMARY KEY,
      id ANY NOT NULL UNIQUE,
      author INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      clock_wall INTEGER NOT NULL,
      clock_logical INTEGER NOT NULL,
      deps ANY,
      vec BLOB NOT NULL,
      bytes BLOB NOT NULL
    ) STRICT;
    INSERT INTO changes_v5 (arrival, id, author, seq, clock_wall, clock_logical, deps, vec, bytes)
      SELECT arrival, musher_v5_id(id), musher_v5_author(author), seq, clock_wall, clock_logical, CASE WHEN musher_v5_cut(bytes, author) THEN NULL ELSE musher_v5_ids(deps, 'change ' || arrival) END,
        musher_v5_vec(vec, 'change ' || arrival), musher_v5_bytes(bytes, author)
      FROM changes ORDER BY arrival;
    DROP TABLE changes;
    ALTER TABLE changes_v5 RENAME TO changes;
    CREATE INDEX changes_by_author_seq ON changes (author, seq);

    CREATE TABLE heads_v5 (id ANY PRIMARY KEY) STRICT, WITHOUT ROWID;
    INSERT INTO heads_v5 (id) SELECT musher_v5_id(id) FROM heads;
    DROP TABLE heads;
    ALTER TABLE heads_v5 RENAME TO heads;

    CREATE TABLE author_seqs_v5 (author INTEGER PRIMARY KEY, max_seq INTEGER NOT NULL) STRICT;
    INSERT INTO author_seqs_v5 (author, max_seq) SELECT musher_v5_author(author), max_seq FROM author_seqs;
    DROP TABLE author_seqs;
    ALTER TABLE author_seqs_v5 RENAME TO author_seqs;

    CREATE TABLE equivocators_v5 (author INTEGER PRIMARY KEY) STRICT;
    INSERT INTO equivocators_v5 (author) SELECT musher_v5_author(author) FROM equivocators;
    DROP TABLE equivocators;
    ALTER TABLE equivocators_v5 RENAME TO equivocators;

    CREATE TABLE pending_v5 (
      arrival INTEGER PRIMARY KEY,
      id ANY NOT NULL UNIQUE,
      bytes BLOB NOT NULL,
      missing ANY NOT NULL
    ) STRICT;
    INSERT INTO pending_v5 (arrival, id, bytes, missing) SELECT arrival, musher_v5_id(id), bytes, musher_v5_ids(missing, 'pending ' || arrival) FROM pending ORDER BY arrival;
    DROP TABLE pending;
    ALTER TABLE pending_v5 RENAME TO pending;

    CREATE TABLE pending_waits_v5 (dep ANY NOT NULL, id ANY NOT NULL, PRIMARY KEY (dep, id)) STRICT, WITHOUT ROWID;
    INSERT INTO pending_waits_v5 (dep, id) SELECT musher_v5_id(dep), musher_v5_id(id) FROM pending_waits;
    DROP TABLE pending_waits;
    ALTER TABLE pending_waits_v5 RENAME TO pending_waits;

    CREATE TABLE stories_v5 (id TEXT PRIMARY KEY, record ANY NOT NULL) STRICT;
  `);
  // Stories: JSON → the compact row (storyColumn); authors new to the table get the next idxs.
  const authors = new AuthorIndex(db);
  const put = db.prepare<[string, StoryValue]>("INSERT INTO stories_v5 (id, record) VALUES (?, ?)");
  for (const row of db.prepare<[], { id: string; record: string }>("SELECT id, record FROM stories ORDER BY id").all()) {
    const record = atRow(`story ${row.id}`, () => JSON.parse(row.record) as StoryRecord);
    put.run(row.id, storyColumn.encode(record, (key) => authors.idxOf(key)));
  }
  db.exec("DROP TABLE stories; ALTER TABLE stories_v5 RENAME TO stories;");
}

function atRow<T>(row: unknown, convert: () => T): T {
  try {
    return convert();
  } catch (err) {
    throw new Error(`${String(row)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function blob(value: unknown): Buffer {
  if (!Buffer.isBuffer(value)) throw new Error(`expected a BLOB in the v4 log, found ${typeof value}`);
  return value;
}

function text(value: unknown): string {
  if (typeof value !== "string") throw new Error(`expected TEXT in the v4 log, found ${typeof value}`);
  return value;
}

function stringArray(json: unknown): string[] {
  const parsed: unknown = JSON.parse(text(json));
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) throw new Error("a v4 id list is not a JSON array of strings");
  return parsed as string[];
}

function seqVector(json: unknown): Record<string, number> {
  const parsed: unknown = JSON.parse(text(json));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("a v4 seq vector is not a JSON object");
  const vec: Record<string, number> = {};
  for (const [key, seq] of Object.entries(parsed)) {
    if (typeof seq !== "number") throw new Error(`a v4 seq vector maps ${key} to a non-number`);
    vec[key] = seq;
  }
  return vec;
}

/**
 * Takes the change-log tables of a current (v5) database back to the v4
 * layout, exactly as migration v1 created them (hex TEXT ids and authors,
 * JSON deps and seq vectors, whole signed bytes, JSON story rows), for tests that re-run an older migration on
 * a database the current build wrote. Leaves `user_version` to the caller.
 * Test support only: production never goes back.
 */
import type Database from "better-sqlite3";
import { idColumn, type IdValue } from "../../src-main/store/idColumn";
import { vecColumn } from "../../src-main/store/vecColumn";
import { bytesColumn } from "../../src-main/store/bytesColumn";
import { storyColumn, type StoryValue } from "../../src-main/store/storyColumn";

export function downgradeLogToV4(db: Database.Database): void {
  const keys = new Map(db.prepare<[], { idx: number; key: IdValue }>("SELECT idx, key FROM authors").all().map((r) => [r.idx, idColumn.decode(r.key)]));
  const keyOf = (idx: unknown): string => {
    const key = keys.get(Number(idx));
    if (key === undefined) throw new Error(`no author #${String(idx)}`);
    return key;
  };
  const fn = { deterministic: true } as const;
  db.function("v4_id", fn, (v: unknown) => idColumn.decode(v as IdValue));
  db.function("v4_ids", fn, (v: unknown) => JSON.stringify(idColumn.decodeList(v as IdValue)));
  db.function("v4_author", fn, keyOf);
  db.function("v4_vec", fn, (v: unknown) => JSON.stringify(vecColumn.decode(v as Buffer, keyOf)));
  // Format-2 rows are stored cut (bytesColumn): v4 held the exact signed bytes and a deps column.
  db.function("v4_bytes", fn, (bytes: unknown, author: unknown) => bytesColumn.restore(bytes as Buffer, keyOf(author)));
  db.function("v4_deps", fn, (deps: unknown, bytes: unknown) => JSON.stringify(deps === null ? bytesColumn.deps(bytes as Buffer) : idColumn.decodeList(deps as IdValue)));
  db.function("v4_story", fn, (id: unknown, record: unknown) => JSON.stringify(storyColumn.decode(String(id), record as StoryValue, keyOf)));
  db.transaction(() =>
    db.exec(`
      CREATE TABLE changes_v4 (
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
      INSERT INTO changes_v4 SELECT arrival, v4_id(id), v4_author(author), seq, clock_wall, clock_logical, v4_deps(deps, bytes), v4_vec(vec), v4_bytes(bytes, author) FROM changes;
      DROP TABLE changes;
      ALTER TABLE changes_v4 RENAME TO changes;
      CREATE INDEX changes_by_author_seq ON changes (author, seq);
      CREATE TABLE heads_v4 (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      INSERT INTO heads_v4 SELECT v4_id(id) FROM heads;
      DROP TABLE heads;
      ALTER TABLE heads_v4 RENAME TO heads;
      CREATE TABLE author_seqs_v4 (author TEXT PRIMARY KEY, max_seq INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      INSERT INTO author_seqs_v4 SELECT v4_author(author), max_seq FROM author_seqs;
      DROP TABLE author_seqs;
      ALTER TABLE author_seqs_v4 RENAME TO author_seqs;
      CREATE TABLE equivocators_v4 (author TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
      INSERT INTO equivocators_v4 SELECT v4_author(author) FROM equivocators;
      DROP TABLE equivocators;
      ALTER TABLE equivocators_v4 RENAME TO equivocators;
      CREATE TABLE pending_v4 (arrival INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, bytes BLOB NOT NULL, missing TEXT NOT NULL) STRICT;
      INSERT INTO pending_v4 SELECT arrival, v4_id(id), bytes, v4_ids(missing) FROM pending;
      DROP TABLE pending;
      ALTER TABLE pending_v4 RENAME TO pending;
      CREATE TABLE pending_waits_v4 (dep TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (dep, id)) STRICT, WITHOUT ROWID;
      INSERT INTO pending_waits_v4 SELECT v4_id(dep), v4_id(id) FROM pending_waits;
      DROP TABLE pending_waits;
      ALTER TABLE pending_waits_v4 RENAME TO pending_waits;
      CREATE TABLE stories_v4 (id TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;
      INSERT INTO stories_v4 SELECT id, v4_story(id, record) FROM stories;
      DROP TABLE stories;
      ALTER TABLE stories_v4 RENAME TO stories;
      DROP TABLE authors;
    `),
  )();
}

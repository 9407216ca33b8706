/**
 * Opens (or creates) a Musher SQLite database file, refusing anything that is
 * not one — without ever writing to a file it has not recognised.
 *
 * Invariants:
 * - An existing file is inspected through a READ-ONLY connection first:
 *   SQLite header, `application_id`, `user_version`, `PRAGMA quick_check`.
 *   Only a file that passes all four is reopened read-write (and migrated;
 *   a migration step that fails is rolled back and ends in
 *   StoreError("upgrade_failed") naming the version the file stayed at).
 *   A foreign, empty, corrupt or too-new file ends in a `StoreError` whose
 *   message names the file and what to do; its bytes are left untouched.
 * - A new database is built under `<file>.new` (schema, application_id and
 *   whatever `init` writes, e.g. the node identity) and renamed into place
 *   only when complete, so a crash during creation never leaves a half-made
 *   `musher.db` that the next start would have to guess about.
 * - Durability: WAL with `synchronous = FULL` — every commit fsyncs the WAL
 *   before it returns, so an acknowledged write survives a process crash AND
 *   an OS crash or power loss (NORMAL would survive only the former). The
 *   cost is one fsync per transaction: per local edit, and per ingest chunk
 *   (hundreds of changes), see docs/ARCHITECTURE.md "Storage".
 * - Native module: every connection uses `nativeBinding` when given (checked
 *   by loadSqliteBinding first, so a module that cannot load is a
 *   StoreError("native_binding") before any file is touched), else
 *   better-sqlite3's own build.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { loadSqliteBinding } from "./loadSqliteBinding";
import { migrate, MUSHER_APPLICATION_ID, SCHEMA_VERSION } from "./migrations";
import { StoreError } from "./StoreError";

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
const AWAY = "Musher did not modify it; move it away (or choose another data directory) to start a new one";

export interface OpenDatabaseOptions {
  /** Create the file when it does not exist (otherwise: StoreError "missing"). */
  create: boolean;
  /** Runs inside the creating transaction of a NEW database only. */
  init?: (db: Database.Database) => void;
  /** Absolute path of a better_sqlite3.node built for the running runtime; absent = better-sqlite3's own build. */
  nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenDatabaseOptions): Database.Database {
  const binding = bindingOptions(options.nativeBinding);
  if (!existsSync(file)) {
    if (!options.create) throw new StoreError("missing", `${file} does not exist: no Musher data there yet`);
    createDatabase(file, options.init, binding);
  } else {
    inspect(file, binding);
  }
  const db = new Database(file, { ...binding, fileMustExist: true });
  try {
    configure(db);
    upgrade(db, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Runs the migrations on an existing file. Each step is one transaction, so
 * a step that fails (a row an old build wrote that does not parse) leaves
 * the file at the last version that completed: a StoreError says which.
 */
function upgrade(db: Database.Database, file: string): void {
  try {
    migrate(db);
  } catch (err) {
    const at = db.pragma("user_version", { simple: true }) as number;
    const detail = err instanceof Error ? err.message : String(err);
    throw new StoreError(
      "upgrade_failed",
      `${file} could not be upgraded past schema v${at} (${detail}). That step was rolled back: the file is intact at v${at}, and the Musher that wrote it can still open it; restore it from a backup or report the problem.`,
    );
  }
}

/** A private in-memory database with the current schema (nodes with `dataDir: null`: tests). */
export function openMemoryDatabase(nativeBinding?: string): Database.Database {
  const db = new Database(":memory:", bindingOptions(nativeBinding));
  db.pragma(`application_id = ${MUSHER_APPLICATION_ID}`);
  migrate(db);
  return db;
}

/** better-sqlite3 options selecting the native module (none: its default build). */
function bindingOptions(nativeBinding: string | undefined): Database.Options {
  return nativeBinding === undefined ? {} : { nativeBinding: loadSqliteBinding(nativeBinding) };
}

function configure(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  // Another process (e.g. `musher import` next to a running node) waits for
  // the write lock instead of failing at once.
  db.pragma("busy_timeout = 5000");
  // 32 MiB of page cache (the default is 2 MiB): a catch-up inserts into B-trees keyed by
  // random hashes, and an open group of received changes (SqliteReplicaStore) keeps its
  // dirty pages here instead of spilling them to the WAL mid-transaction.
  db.pragma("cache_size = -32768");
}

/** Everything here reads; nothing writes to `file` or creates files beside it except SQLite's own -shm. */
function inspect(file: string, binding: Database.Options): void {
  if (statSync(file).size === 0) throw new StoreError("not_musher", `${file} is an empty file, not a Musher database. ${AWAY}.`);
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw new StoreError("not_musher", `${file} is not a SQLite database, so not a Musher database. ${AWAY}.`);
  let db: Database.Database;
  try {
    db = new Database(file, { ...binding, readonly: true, fileMustExist: true });
  } catch (err) {
    throw corrupt(file, err);
  }
  try {
    let appId: number;
    let version: number;
    let check: string;
    try {
      appId = db.pragma("application_id", { simple: true }) as number;
      version = db.pragma("user_version", { simple: true }) as number;
      check = (db.pragma("quick_check(1)", { simple: true }) as string | undefined) ?? "no answer";
    } catch (err) {
      throw corrupt(file, err);
    }
    if (appId !== MUSHER_APPLICATION_ID) {
      throw new StoreError(
        "not_musher",
        `${file} is a SQLite database of another application (application_id 0x${(appId >>> 0).toString(16)}), not a Musher database. ${AWAY}.`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        "too_new",
        `${file} was written by a newer Musher (schema v${version}; this build reads up to v${SCHEMA_VERSION}). Upgrade Musher to open it; the file was not modified.`,
      );
    }
    if (check !== "ok") throw corrupt(file, new Error(check));
  } finally {
    db.close();
  }
}

function corrupt(file: string, err: unknown): StoreError {
  const detail = err instanceof Error ? err.message : String(err);
  return new StoreError(
    "corrupt",
    `${file} failed its integrity check (${detail}). Musher did not modify it; restore it from a backup, or move it away to start empty (\`musher export\` on a copy may salvage its changes).`,
  );
}

function createDatabase(file: string, init: ((db: Database.Database) => void) | undefined, binding: Database.Options): void {
  const tmp = `${file}.new`;
  // A leftover from a crash during an earlier creation: ours by name, never complete.
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  const db = new Database(tmp, binding);
  try {
    configure(db);
    // Nothing here needs to be durable step by step: the file counts only once renamed, after the one
    // fsync below (a crash before leaves a .new file, removed above). Each migration step and `init`
    // committing with its own fsync made a new data dir cost the first block of a new device ~7 of them.
    db.pragma("synchronous = OFF");
    db.pragma(`application_id = ${MUSHER_APPLICATION_ID}`);
    migrate(db);
    if (init) db.transaction(() => init(db)).immediate();
  } finally {
    db.close(); // checkpoints and removes the WAL: the .new file is complete on its own
  }
  syncFile(tmp);
  // The file holds the node's private key: owner-only (no-op on Windows).
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  syncDirectory(dirname(file));
}

/** Writes `file`'s data to disk (what `synchronous = OFF` skipped while it was made); writable, as Windows needs to flush. */
function syncFile(file: string): void {
  fsyncPath(file, "r+");
}

/** Makes the rename itself durable (POSIX); Windows cannot open a directory and does not need it. */
function syncDirectory(dir: string): void {
  if (process.platform !== "win32") fsyncPath(dir, "r");
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

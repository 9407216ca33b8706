/**
 * The maintenance path behind `musher rebuild`: replays every stored change,
 * in arrival order, into a fresh in-memory replica and compares the result
 * with the materialized tables. Opening never does this; it exists to prove
 * (and, if ever needed, restore) "the tables are a function of the log".
 *
 * Invariants:
 * - Replay verifies every change like a remote one (signature, validity):
 *   the log is re-checked, not trusted.
 * - The comparison is byte-for-byte on a fingerprint of ALL derived state —
 *   full story records with every per-field clock, heads, per-author max
 *   seq, equivocators, and every row of the memory tables and their
 *   full-text index — not just the visible board.
 * - `replace` rewrites exactly those tables in one transaction, with the
 *   `meta` marks that said they did not follow from the log (cleared after
 *   a match too); the log, the pending queue and the identity are never
 *   touched.
 */
import type Database from "better-sqlite3";
import { bytesColumn } from "./bytesColumn";
import { canonicalJson } from "../crdt/canonicalJson";
import { Replica } from "../crdt/Replica";
import type { ReplicaStore } from "../crdt/ReplicaStore";
import { silentLogger } from "../base/Logger";
import { type IdValue } from "./idColumn";
import { openMemoryDatabase } from "./openDatabase";
import type { NodeStore } from "./openNodeStore";
import { REDERIVE_KEY, STORIES_LAG_KEY } from "./migrations";
import { replicaOnDatabase } from "./replicaOnDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

/** The memory tables (v2) and the columns that define their content, in a stable order. */
const MEMORY_TABLES = [
  { table: "sessions", columns: "id, story, created_at, record", order: "id" },
  { table: "messages", columns: "id, session, ts, sender, role, content, creators, cell", order: "id" },
  { table: "memcells", columns: "id, session, effective, hidden, started_at, ended_at, record", order: "id" },
  // Row ids are not content (copied on replace, then the FTS index is rebuilt from the rows).
  { table: "memory_docs", columns: "kind, ref, session, ts, title, body, text", order: "ref" },
  { table: "session_activity", columns: "session, author, wrote, added", order: "session, author" },
] as const;

const PAGE = 1_000;
/** The membership state (`crdt/Membership`) lives in `meta` under `membership:*`. */
const MEMBERSHIP_META = "SELECT key, value FROM meta WHERE key LIKE 'membership:%' ORDER BY key";

export interface RebuildReport {
  changes: number;
  stories: number;
  /** Changes in the log that did not apply on replay (should be 0). */
  notApplied: number;
  firstProblem?: string;
  matched: boolean;
  replaced: boolean;
  /** `canonicalState()` of the stored state (before any replace) and of the replay. */
  canonical: { stored: string; replayed: string };
}

/** Canonical JSON of everything derived from the log: the board's indexes and records, and the memory tables. */
export function derivedStateFingerprint(store: ReplicaStore, db: Database.Database): string {
  return canonicalJson({
    stories: store.allStories().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    heads: [...store.heads()].sort(),
    seqs: [...store.authorSeqs()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    equivocators: [...store.equivocators()].sort(),
    membership: db.prepare(MEMBERSHIP_META).raw().all(),
    memory: MEMORY_TABLES.map(({ table, columns, order }) => db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${order}`).raw().all()),
  });
}

export interface RebuildOptions {
  /** Rewrite the derived tables from the replay when they differ; either way they then follow from the log, and the marks saying otherwise (`REDERIVE_KEY`, `STORIES_LAG_KEY`) are cleared. */
  replace: boolean;
}

export function rebuildState(node: NodeStore, options: RebuildOptions): RebuildReport {
  // Replayed into a scratch in-memory database through the same reducers a node runs.
  const scratch = openMemoryDatabase(node.nativeBinding);
  try {
    return replay(node, scratch, options);
  } finally {
    scratch.close();
  }
}

function replay(node: NodeStore, scratch: Database.Database, options: RebuildOptions): RebuildReport {
  const memory = new SqliteReplicaStore(scratch);
  const { replica } = replicaOnDatabase(scratch, { workspace: node.workspaceId, signer: node.identity, logger: silentLogger, store: memory });
  const page = node.db.prepare<[number, number], { arrival: number; bytes: Buffer; author: IdValue }>(
    "SELECT c.arrival, c.bytes, a.key AS author FROM changes c JOIN authors a ON a.idx = c.author WHERE c.arrival > ? ORDER BY c.arrival LIMIT ?",
  );
  const stored = new Replica({ workspace: node.workspaceId, signer: node.identity, logger: silentLogger, store: node.store });
  const report: RebuildReport = { changes: 0, stories: 0, notApplied: 0, matched: false, replaced: false, canonical: { stored: "", replayed: "" } };
  for (let after = 0; ; ) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.arrival;
    report.changes += rows.length;
    for (const r of replica.receiveBatch(rows.map((row) => new Uint8Array(bytesColumn.restore(row.bytes, row.author))))) {
      if (r.status === "applied") continue;
      report.notApplied++;
      report.firstProblem ??= `${r.id ?? "?"}: ${r.status}${r.reason ? ` (${r.reason})` : ""}`;
    }
  }
  report.stories = memory.allStories().length;
  report.matched = derivedStateFingerprint(memory, scratch) === derivedStateFingerprint(node.store, node.db);
  report.canonical = { stored: stored.canonicalState(), replayed: replica.canonicalState() };
  if (!report.matched && options.replace) {
    replaceDerivedState(node, memory, scratch);
    report.replaced = true;
  } else if (report.matched && options.replace) {
    clearRederiveMarks(node.db);
  }
  return report;
}

/** The derived tables follow from the log: a schema upgrade's or a crash's mark is done with. */
function clearRederiveMarks(db: Database.Database): void {
  db.prepare<[string, string]>("DELETE FROM meta WHERE key IN (?, ?)").run(REDERIVE_KEY, STORIES_LAG_KEY);
}

function replaceDerivedState(node: NodeStore, from: SqliteReplicaStore, fromDb: Database.Database): void {
  const { db, store } = node;
  store.transaction(() => {
    db.exec("DELETE FROM stories; DELETE FROM heads; DELETE FROM author_seqs; DELETE FROM equivocators; DELETE FROM meta WHERE key LIKE 'membership:%';");
    const putMeta = db.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)");
    for (const [key, value] of fromDb.prepare(MEMBERSHIP_META).raw().all() as [string, string][]) putMeta.run(key, value);
    store.forgetCachedState(); // the DELETEs bypassed the store
    for (const rec of from.allStories()) store.putStory(rec);
    store.setHeads(from.heads());
    for (const [author, seq] of from.authorSeqs()) store.restoreAuthorSeq(author, seq);
    for (const author of from.equivocators()) store.flagEquivocation(author);
    for (const { table, columns: content } of MEMORY_TABLES) {
      const columns = table === "memory_docs" ? `id, ${content}` : content;
      db.exec(`DELETE FROM ${table}`);
      const insert = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.split(",").map(() => "?").join(", ")})`);
      for (const row of fromDb.prepare(`SELECT ${columns} FROM ${table}`).raw().iterate()) insert.run(...(row as unknown[]));
    }
    // The external-content index is derived from memory_docs: rebuilt, never copied.
    db.exec("INSERT INTO memory_fts (memory_fts) VALUES ('rebuild')");
    clearRederiveMarks(db);
  });
}

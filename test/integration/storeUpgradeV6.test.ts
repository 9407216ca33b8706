/**
 * Upgrading a real v5 data dir (`test/fixtures/v5-board`, written by the
 * last v5 build: see its README) to schema v6, whose id index keys on the
 * id's first 8 bytes. The v5 file is read with plain SQL as the ground
 * truth: after the migration every table holds the same rows (the log's in
 * arrival order, byte for byte), the id index is the 8-byte one and a
 * lookup uses it, every change reads back through the store (its bytes
 * hash to its id), the file did not grow (vacuumed), `musher rebuild
 * --check` (the real CLI) finds the tables equal to a replay of the log,
 * and a node opened on it writes on.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src-main/base/Logger";
import { changeIdOfBytes } from "../../src-main/crdt/changeCodec";
import { createNode } from "../../src-main/node/createNode";
import { SCHEMA_VERSION } from "../../src-main/store/migrations";
import { openNodeStore } from "../../src-main/store/openNodeStore";
import { CHANGE_BY_ID } from "../../src-main/store/replicaStatements";
import { CLI, ROOT } from "../support/startServe";

const FIXTURE = join(ROOT, "test/fixtures/v5-board/musher.db");
const TABLES = ["changes", "heads", "author_seqs", "equivocators", "pending", "pending_waits", "authors", "stories", "sessions", "messages", "memcells", "memory_docs", "session_activity", "meta"];

/** Every row of every table (the log's with its arrival), the indexes on `changes`, and the log's ids in arrival order. */
function snapshot(file: string): { version: number; rows: unknown[]; changeIndexes: unknown[]; ids: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma("user_version", { simple: true }) as number,
      // Sorted as JSON (Buffers as byte arrays): some tables have one column, none has a guaranteed order.
      rows: TABLES.map((t) => db.prepare(`SELECT * FROM ${t}`).raw().all().map((r) => JSON.stringify(r)).sort()),
      changeIndexes: db.prepare("SELECT name, \"unique\", origin FROM pragma_index_list('changes') ORDER BY name").all(),
      ids: db.prepare<[], string>("SELECT lower(hex(id)) FROM changes ORDER BY arrival").pluck().all(),
    };
  } finally {
    db.close();
  }
}

describe("a v5 data dir", { timeout: 120_000 }, () => {
  it("migrates to the 8-byte id index with every row intact, reads every change through it, and keeps working", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-upgrade-v6-"));
    const file = join(dataDir, "musher.db");
    await copyFile(FIXTURE, file);
    const v5 = snapshot(file);
    const sizeBefore = (await stat(file)).size;
    expect(v5.version).toBe(5);
    expect(v5.changeIndexes).toEqual([
      { name: "changes_by_author_seq", unique: 0, origin: "c" },
      { name: "sqlite_autoindex_changes_1", unique: 1, origin: "u" },
    ]);
    const ids = v5.ids;
    expect(ids.length).toBe(412);

    const node = openNodeStore({ dataDir, create: false });
    try {
      const { store, db, workspaceId: workspace } = node;
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      for (const id of ids) {
        expect(store.hasChange(id)).toBe(true);
        const bytes = store.getChangeBytes(id);
        expect(bytes && changeIdOfBytes(bytes, workspace)).toBe(id);
        expect(store.getChangeMeta(id)?.id).toBe(id);
      }
      const plan = db.prepare<[{ id: Buffer }], { detail: string }>(`EXPLAIN QUERY PLAN SELECT 1 FROM changes WHERE ${CHANGE_BY_ID}`).all({ id: Buffer.alloc(32) });
      expect(plan.map((p) => p.detail)).toEqual(["SEARCH changes USING INDEX changes_by_id (<expr>=?)"]);
    } finally {
      node.close();
    }
    const v6 = snapshot(file);
    expect(v6.version).toBe(SCHEMA_VERSION);
    expect(v6.rows).toEqual(v5.rows);
    expect(v6.changeIndexes).toEqual([
      { name: "changes_by_author_seq", unique: 0, origin: "c" },
      { name: "changes_by_id", unique: 0, origin: "c" },
    ]);
    expect((await stat(file)).size).toBeLessThanOrEqual(sizeBefore); // the old index's pages given back

    const rebuild = spawnSync(process.execPath, [CLI, "rebuild", "--check", "--data", dataDir], { encoding: "utf8" });
    expect(rebuild.stderr).toBe("");
    expect(rebuild.status).toBe(0);

    // The founder's node opens it and writes on; the new change is found through the new index on reopen.
    const founder = await createNode({ dataDir, host: "embedded", log: silentLogger });
    const created = await founder.call("story/create", { name: "after v6" });
    expect(created.ok).toBe(true);
    const head = founder.replica.heads().find((h) => !ids.includes(h));
    await founder.close();
    expect(head).toBeDefined();
    const reopened = openNodeStore({ dataDir, create: false });
    try {
      expect(reopened.store.hasChange(head!)).toBe(true);
      expect(reopened.store.allStories().some((s) => s.name.value === "after v6")).toBe(true);
    } finally {
      reopened.close();
    }
  });
});

/**
 * The memory-search migration on a data dir written at the schema version
 * before it: a real node writes sessions, messages and memcells (real signed
 * changes), the file is taken back to the previous schema exactly as the
 * old code laid it out (documents of title + digest, unicode61 index, no
 * activity table), then a node opens it. After the upgrade a word beyond the digest
 * is found, word forms match, the activity is back-filled from the log, and
 * the tables equal a replay of the log (`musher rebuild` finds nothing to fix).
 */
import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNode } from "./createNode";
import { silentLogger } from "../base/Logger";
import { MIGRATIONS, migrateMemorySearch } from "../store/migrations";
import { openNodeStore } from "../store/openNodeStore";
import { rebuildState } from "../store/rebuildState";
import { callOk } from "../../test/support/callOk";

const T0 = Date.UTC(2025, 0, 6, 9);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const call = callOk;

/** Takes a current database back to the schema just before `migrateMemorySearch`. */
function downgrade(file: string): number {
  const version = MIGRATIONS.indexOf(migrateMemorySearch);
  expect(version).toBeGreaterThan(0);
  const db = new Database(file);
  db.exec(`
    DROP TABLE session_activity;
    DROP TABLE memory_fts;
    ALTER TABLE memory_docs DROP COLUMN text;
    UPDATE memory_docs SET body = (SELECT json_extract(record, '$.content') FROM memcells WHERE id = ref) WHERE kind = 'c';
    CREATE VIRTUAL TABLE memory_fts USING fts5 (title, body, content = 'memory_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO memory_fts (memory_fts) VALUES ('rebuild');
  `);
  db.pragma(`user_version = ${version}`);
  db.close();
  return version;
}

describe("the memory-search migration", () => {
  it("re-indexes full message text with stemming and back-fills session activity", async () => {
    const dir = await mkdtemp(join(tmpdir(), "musher-migrate-"));
    dirs.push(dir);
    let node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
    const { id: sessionId } = await call(node, "session/create", { title: "before" });
    const long = `${"filler words here ".repeat(20)}and then we decided to reconnect the zeppelin`;
    await call(node, "session/addMessages", {
      sessionId,
      messages: [
        { senderId: "ann", role: "user", timestamp: T0, content: "the deploy plan" },
        { senderId: "bot", role: "assistant", timestamp: T0 + 60_000, content: long },
        { senderId: "ann", role: "user", timestamp: T0 + 120_000, content: "pending note about quokkas" },
      ],
    });
    await call(node, "session/flush", { sessionId });
    await call(node, "session/addMessages", { sessionId, messages: [{ senderId: "ann", role: "user", timestamp: T0 + 180_000, content: "still pending: quokka" }] });
    const reader = new Database(join(dir, "musher.db"), { readonly: true });
    const activityBefore = reader.prepare("SELECT * FROM session_activity").all();
    reader.close();
    expect(activityBefore.length).toBeGreaterThan(0);
    await node.close();

    const version = downgrade(join(dir, "musher.db"));
    const old = new Database(join(dir, "musher.db"), { readonly: true });
    expect(old.prepare("SELECT count(*) AS n FROM memory_fts WHERE memory_fts MATCH 'zeppelin'").get()).toEqual({ n: 0 });
    expect(old.prepare("SELECT count(*) AS n FROM memory_fts WHERE memory_fts MATCH 'deploy'").get()).toEqual({ n: 1 }); // the digest, as the old code indexed it
    old.close();

    node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
    const search = (q: string) => call(node, "memory/search", { query: q });
    const deep = await search("zeppelin");
    expect(deep.map((h) => h.kind)).toEqual(["memcell"]);
    expect(deep[0]!.messageId).toBeDefined();
    expect(deep[0]!.snippet).toContain("zeppelin");
    expect((await search("reconnecting")).map((h) => h.kind)).toEqual(["memcell"]);
    expect((await search("deploys")).map((h) => h.kind)).toEqual(["memcell"]);
    expect((await search("quokka")).map((h) => h.kind).sort()).toEqual(["memcell", "message"]);
    await node.close();

    const store = openNodeStore({ dataDir: dir, create: false });
    try {
      expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      expect(version).toBeLessThan(MIGRATIONS.length);
      expect(store.db.prepare("SELECT * FROM session_activity").all()).toEqual(activityBefore);
      const report = rebuildState(store, { replace: false });
      expect(report.notApplied).toBe(0);
      expect(report.matched).toBe(true);
    } finally {
      store.close();
    }
  });
});

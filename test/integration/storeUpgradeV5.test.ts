/**
 * Upgrading a real v4 data dir (`test/fixtures/v4-board`, written by the
 * last v4 build: 4 authors, an equivocation, two pending changes, invites,
 * joins and a removal, memory) to the compact log of schema v5.
 * The v4 rows are read with plain SQL as the ground truth; after the
 * migration every change (meta and bytes, in arrival order), head, seq,
 * pending entry and equivocator reads the same through the `ReplicaStore`
 * interface, and the board, memory and membership rows are unchanged; the
 * file shrank; then `musher serve` opens it, a fresh device invited by it
 * converges, and `musher rebuild --check` (the real CLI) finds the tables
 * equal to a replay of the log. A v4 row that does not parse fails the
 * upgrade with a StoreError naming it, and the file stays v4, untouched.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ChangeMeta, PendingEntry } from "../../src-main/crdt/ReplicaStore";
import type { StoryRecord } from "../../src-main/crdt/StoryRecord";
import { SCHEMA_VERSION } from "../../src-main/store/migrations";
import { openNodeStore } from "../../src-main/store/openNodeStore";
import { StoreError } from "../../src-main/store/StoreError";
import { apiOf } from "../support/apiOf";
import { serveFleet } from "../support/serveFleet";
import { CLI, ROOT, startServe } from "../support/startServe";
import { waitFor } from "../support/waitFor";

const FIXTURE = join(ROOT, "test/fixtures/v4-board/musher.db");
const fleet = serveFleet();
afterAll(() => fleet.stopAll());

/** Everything the v4 file holds, read with SQL from its own layout (hex TEXT, JSON). */
interface V4Truth {
  metas: ChangeMeta[];
  bytes: Map<string, Buffer>;
  heads: string[];
  seqs: [string, number][];
  equivocators: string[];
  pending: PendingEntry[];
  waits: [string, string][];
  derived: string;
  stories: StoryRecord[];
}

/** Rows the migration must not touch: memory, membership and identity (stories are re-encoded, checked as records). */
function derivedRows(db: Database.Database): string {
  const tables = ["sessions", "messages", "memcells", "memory_docs", "session_activity", "meta"];
  return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw().all()));
}

function readV4(file: string): V4Truth {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma("user_version", { simple: true })).toBe(4);
    const rows = db
      .prepare<[], { id: string; author: string; seq: number; clock_wall: number; clock_logical: number; deps: string; vec: string; bytes: Buffer }>(
        "SELECT * FROM changes ORDER BY arrival",
      )
      .all();
    const pending = db.prepare<[], { id: string; bytes: Buffer; missing: string }>("SELECT id, bytes, missing FROM pending ORDER BY arrival").all();
    return {
      metas: rows.map((r) => ({
        id: r.id,
        author: r.author,
        seq: r.seq,
        clock: { wall: r.clock_wall, logical: r.clock_logical },
        deps: JSON.parse(r.deps) as string[],
        vec: JSON.parse(r.vec) as Record<string, number>,
      })),
      bytes: new Map(rows.map((r) => [r.id, r.bytes])),
      heads: db.prepare<[], string>("SELECT id FROM heads ORDER BY id").pluck().all(),
      seqs: db.prepare<[], [string, number]>("SELECT author, max_seq FROM author_seqs ORDER BY author").raw().all(),
      equivocators: db.prepare<[], string>("SELECT author FROM equivocators ORDER BY author").pluck().all(),
      pending: pending.map((p) => ({ id: p.id, bytes: new Uint8Array(p.bytes), missing: JSON.parse(p.missing) as string[] })),
      waits: db.prepare<[], [string, string]>("SELECT dep, id FROM pending_waits ORDER BY dep, id").raw().all(),
      derived: derivedRows(db),
      stories: db.prepare<[], string>("SELECT record FROM stories ORDER BY id").pluck().all().map((r) => JSON.parse(r) as StoryRecord),
    };
  } finally {
    db.close();
  }
}

describe("a v4 data dir", { timeout: 120_000 }, () => {
  it("migrates to the compact v5 log with every change, index and pending entry intact, and keeps working", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-upgrade-v5-"));
    const file = join(dataDir, "musher.db");
    await copyFile(FIXTURE, file);
    const v4 = readV4(file);
    const sizeBefore = (await stat(file)).size;
    // The fixture holds what the migration must carry (see its README).
    expect(new Set(v4.metas.map((m) => m.author)).size).toBe(4);
    expect(v4.equivocators).toHaveLength(1);
    expect(v4.pending).toHaveLength(2);

    const node = openNodeStore({ dataDir, create: false });
    try {
      const { store, db } = node;
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare("SELECT typeof(id) AS t, length(id) AS n FROM changes GROUP BY 1, 2").all()).toEqual([{ t: "blob", n: 32 }]);
      // Arrival order (the causal replay order) is kept.
      const order = db.prepare<[], string>("SELECT lower(hex(id)) FROM changes ORDER BY arrival").pluck().all();
      expect(order).toEqual(v4.metas.map((m) => m.id));
      for (const meta of v4.metas) {
        expect(store.hasChange(meta.id)).toBe(true);
        expect(store.getChangeMeta(meta.id)).toEqual(meta);
        expect(Buffer.from(store.getChangeBytes(meta.id)!)).toEqual(v4.bytes.get(meta.id));
        expect(store.changesBySeq(meta.author, meta.seq)).toEqual(v4.metas.filter((m) => m.author === meta.author && m.seq === meta.seq).map((m) => m.id));
      }
      store.forgetCachedState(); // the checks above read through the cache; read cold again
      for (const meta of v4.metas) expect(store.getChangeMeta(meta.id)).toEqual(meta);
      expect(store.heads()).toEqual(v4.heads);
      expect([...store.authorSeqs()]).toEqual(v4.seqs);
      expect(store.equivocators()).toEqual(v4.equivocators);
      const evil = v4.equivocators[0]!;
      const forked = [...new Set(v4.metas.filter((m) => m.author === evil).map((m) => m.seq))].filter(
        (seq) => v4.metas.filter((m) => m.author === evil && m.seq === seq).length > 1,
      );
      expect(forked).toHaveLength(1);
      expect(store.forkedSeqs(evil)).toEqual(forked);
      expect(store.oldestPending()).toEqual(v4.pending[0]);
      for (const p of v4.pending) {
        expect(store.hasPending(p.id)).toBe(true);
        expect(store.getPending(p.id)).toEqual(p);
      }
      expect(store.pendingSize()).toEqual({ count: 2, bytes: v4.pending.reduce((n, p) => n + p.bytes.length, 0) });
      for (const [dep, id] of v4.waits) expect(store.pendingWaitingOn(dep)).toContain(id);
      expect(derivedRows(db)).toBe(v4.derived);
      // Every story re-encoded as a compact row (storyColumn), and read back exactly as v4 held it.
      expect(v4.stories.length).toBeGreaterThan(100);
      expect(db.prepare("SELECT typeof(record) AS t, count(*) AS n FROM stories GROUP BY 1").all()).toEqual([{ t: "blob", n: v4.stories.length }]);
      store.forgetCachedState();
      for (const story of v4.stories) expect(store.getStory(story.id)).toEqual(story);
      store.forgetCachedState();
      expect(store.allStories()).toEqual(v4.stories);
    } finally {
      node.close();
    }
    expect((await stat(file)).size).toBeLessThan(sizeBefore * 0.75); // rewritten, then vacuumed

    // The real CLI replays the migrated log and finds the tables equal to it.
    const rebuild = spawnSync(process.execPath, [CLI, "rebuild", "--check", "--data", dataDir], { encoding: "utf8" });
    expect(rebuild.stderr).toBe("");
    expect(rebuild.status).toBe(0);

    // A node serves it (the founder is its admin); a fresh device it invites catches up to the same board and memory.
    const served = await fleet.track(startServe({ dataDir }));
    const api = apiOf(served);
    const board = await api.board(true);
    expect(board.stories.length).toBeGreaterThan(100);
    const fresh = await fleet.track(startServe({ args: ["--rendezvous", api.syncUrl], invitedBy: served, invite: { name: "fresh laptop" } }));
    const freshApi = apiOf(fresh);
    const byId = (b: typeof board) => JSON.stringify([...b.stories].sort((x, y) => (x.id < y.id ? -1 : 1)));
    await waitFor(async () => byId(await freshApi.board(true)) === byId(await api.board(true)), "the fresh device converges on the migrated board");
    const hits = (await freshApi.ok("memory/search", { query: "migration" })) as unknown[];
    expect(hits.length).toBeGreaterThan(0);
    // And writes on the migrated node still go through and replicate.
    const created = (await api.ok("story/create", { name: "after v5" })) as { id: string };
    await waitFor(async () => (await freshApi.board()).stories.some((s) => s.id === created.id), "a new write replicates");
  });

  it("refuses to guess: a v4 row that does not parse fails the upgrade, names the row, and leaves the file at v4", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-upgrade-v5-bad-"));
    const file = join(dataDir, "musher.db");
    await copyFile(FIXTURE, file);
    const damage = new Database(file);
    const arrival = damage.prepare<[], number>("SELECT max(arrival) FROM changes").pluck().get()!;
    damage.prepare("UPDATE changes SET vec = '{not json' WHERE arrival = ?").run(arrival);
    damage.close();
    const v4 = readV4Raw(file);

    let error: unknown;
    try {
      openNodeStore({ dataDir, create: false }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe("upgrade_failed");
    expect((error as StoreError).message).toContain(`past schema v4 (change ${arrival}: `);
    expect(readV4Raw(file)).toEqual(v4);
  });
});

/** The v4 log tables and schema, raw, for before/after comparisons. */
function readV4Raw(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma("user_version", { simple: true }),
      schema: db.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name").raw().all(),
      rows: ["changes", "heads", "author_seqs", "equivocators", "pending", "pending_waits"].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw().all()),
    };
  } finally {
    db.close();
  }
}

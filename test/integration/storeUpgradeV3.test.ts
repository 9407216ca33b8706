/**
 * Upgrading a real data dir made by the previous build (schema v2, HLC
 * rules) to v3 (effective clocks, `crdt/Hlc.ts`). The fixture
 * `test/fixtures/v2-poisoned/musher.db` was written by that build: two
 * stories (one moved, one hidden), a session with a message, then a peer's
 * valid change claiming the end of time — after which that build refused
 * every local write ("invalid change: … <=4294967295"), for good.
 * Opened by `musher serve` now, it is migrated, its derived state re-derived
 * from the log once, and it takes writes again.
 */
import Database from "better-sqlite3";
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, startServe, type ServeProcess } from "../support/startServe";
import { apiOf } from "../support/apiOf";
import { openNodeStore } from "../../src-main/store/openNodeStore";
import { rebuildState } from "../../src-main/store/rebuildState";
import { SCHEMA_VERSION } from "../../src-main/store/migrations";

const FIXTURE = join(ROOT, "test/fixtures/v2-poisoned/musher.db");
const A = "s_08bf15e41ef266d6";
const B = "s_2169cbbcffbc40e5";
const running: ServeProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

describe("a v2 data dir a peer bricked", () => {
  it("opens migrated, keeps its board and memory, and takes writes again", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-upgrade-"));
    await copyFile(FIXTURE, join(dataDir, "musher.db"));
    const before = new Database(join(dataDir, "musher.db"), { readonly: true });
    expect(before.pragma("user_version", { simple: true })).toBe(2);
    before.close();

    const serve = await startServe({ dataDir });
    running.push(serve);
    const api = apiOf(serve);
    expect(serve.logs().some((l) => l.msg.startsWith("store: upgrading derived state"))).toBe(true);

    const board = await api.board(true);
    const a = board.stories.find((s) => s.id === A)!;
    const b = board.stories.find((s) => s.id === B)!;
    expect(a).toMatchObject({ stage: "3_qa", name: "poisoned by a peer" });
    expect(b).toMatchObject({ stage: "2_current", agent: "bot", hidden: true });

    // Writable again, and a new write wins over the poisoned one.
    await api.ok("story/update", { id: A, name: "Write the spec" });
    const created = (await api.ok("story/create", { name: "after the upgrade", stage: "1_backlog" })) as { id: string };
    const after = await api.board(true);
    expect(after.stories.find((s) => s.id === A)!.name).toBe("Write the spec");
    expect(after.stories.some((s) => s.id === created.id)).toBe(true);

    // Memory was re-derived too.
    const hits = (await api.ok("memory/search", { query: "reconnect" })) as unknown[];
    expect(hits.length).toBeGreaterThan(0);

    // The second open does not re-derive again.
    await serve.stop();
    const again = await serve.restart();
    running.push(again);
    expect(again.logs().some((l) => l.msg.startsWith("store: upgrading derived state"))).toBe(false);
    expect((await apiOf(again).board(true)).stories.find((s) => s.id === A)!.name).toBe("Write the spec");
    await again.stop();

    // And the tables are exactly what replaying the log gives (what `musher rebuild --check` checks).
    const store = openNodeStore({ dataDir, create: false });
    try {
      expect(store.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.db.prepare("SELECT count(*) AS n FROM meta WHERE key IN ('clock', 'rederive')").get()).toEqual({ n: 0 });
      const report = rebuildState(store, { replace: false });
      expect(report.notApplied).toBe(0);
      expect(report.matched).toBe(true);
    } finally {
      store.close();
    }
  });
});

/**
 * A crash while story rows of received changes are held unwritten
 * (SqliteReplicaStore "Story rows lag"): the mark committed with them makes
 * the next open rebuild the derived tables from the log, and clears it.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../base/Logger";
import { createNode } from "../node/createNode";
import { STORIES_LAG_KEY } from "../store/migrations";
import { openDatabase } from "../store/openDatabase";
import { openNodeStore } from "../store/openNodeStore";
import { replicaOnDatabase } from "../store/replicaOnDatabase";
import { testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { runRebuild } from "./runRebuild";

describe("story rows held at a crash", () => {
  it("a crash before the rows are written: the next open rebuilds them from the log, and the mark is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musher-lag-crash-"));
    const author = testNode(0);
    const log: Uint8Array[] = [];
    author.replica.onApplied((e) => log.push(...e.changes));
    for (let i = 0; i < 40; i++) author.board.create({ name: `s${i}`, stage: "1_backlog", agent: null });
    for (let i = 0; i < 40; i += 3) author.board.move(`s0-${i}`, "2_current");
    const expected = author.replica.canonicalState();

    const first = openNodeStore({ dataDir: dir, workspaceId: TEST_WORKSPACE });
    const { replica } = replicaOnDatabase(first.db, { workspace: TEST_WORKSPACE, signer: first.identity, logger: silentLogger, store: first.store });
    const results = replica.applyPrepared(await replica.prepareBatch(log), { quiet: true, durable: false }); // as sync applies
    expect(results.every((r) => r.status === "applied")).toBe(true);
    first.store.transaction(() => {}); // the group commits; its story rows are still held
    expect(first.db.prepare("SELECT count(*) AS n FROM stories").get()).toEqual({ n: 0 });
    first.db.close(); // the crash: nothing written after this

    const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, workspaceId: TEST_WORKSPACE });
    expect(node.replica.canonicalState()).toBe(expected);
    await node.close();
    const check = runRebuild(dir, true);
    expect(check.matched).toBe(true);
    const db = openDatabase(join(dir, "musher.db"), { create: false });
    expect(db.prepare("SELECT 1 FROM meta WHERE key = ?").get(STORIES_LAG_KEY)).toBeUndefined();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });
});

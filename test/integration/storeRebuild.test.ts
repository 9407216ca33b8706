/**
 * The materialized tables are a function of the log: after a random
 * workload (local edits on a persisted node interleaved with a remote
 * author's changes), replaying the log gives byte-identical state; a
 * tampered table is detected, and repaired from the log.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STAGES } from "../../src-shared/stages";
import { TEST_WORKSPACE, testNode } from "../support/crdt/testKit";
import { createNode, type MusherNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";
import { openNodeStore } from "../../src-main/store/openNodeStore";
import { rebuildState } from "../../src-main/store/rebuildState";
import { runRebuild } from "../../src-main/host/runRebuild";

async function randomWorkload(node: MusherNode, seed: number): Promise<void> {
  let x = seed;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  const remote = testNode(1, { t: 1_000 });
  const remoteLog: Uint8Array[] = [];
  remote.replica.onApplied((e) => e.local && remoteLog.push(...e.changes));
  const local: Uint8Array[] = [];
  node.replica.onApplied((e) => e.local && local.push(...e.changes));
  const ids: string[] = [];
  for (let i = 0; i < 300; i++) {
    const id = ids[rnd(Math.max(1, ids.length))]!;
    const r = rnd(100);
    if (ids.length < 5 || r < 15) {
      const res = await node.call("story/create", { name: `s${i}`, stage: STAGES[rnd(STAGES.length)]!.id });
      if (res.ok) ids.push((res.value as { id: string }).id);
    } else if (r < 35) await node.call("story/move", { id, stage: STAGES[rnd(STAGES.length)]!.id, index: rnd(3) });
    else if (r < 45) await node.call("story/retry", { id });
    else if (r < 55) await node.call("story/hide", { id });
    else if (r < 60) await node.call("story/unhide", { id });
    else if (r < 70) await node.call("story/update", { id, name: `renamed ${i}`, blocked: r % 2 === 0 });
    else if (r < 75) await node.call("story/claim", { id, claimant: `agent-${rnd(3)}` });
    else if (r < 78) await node.call("story/delete", { id });
    else {
      // The remote author edits concurrently, then the two exchange changes.
      remote.clock.t += 5;
      const rid = remote.replica.stories()[0]?.id;
      if (rid && r < 90) remote.board.retry(rid);
      else remote.board.create({ name: `remote ${i}`, stage: "2_current", agent: null });
      if (r % 3 === 0) {
        await node.ingest(remoteLog.splice(0));
        remote.replica.receiveBatch(local.splice(0));
      }
    }
  }
  await node.ingest(remoteLog.splice(0));
  await memoryWorkload(node, node.replica.stories().find((rec) => rec.deleted === null)?.id);
}

/** Sessions, messages across days (so memcells are cut), a flush and a hide: the memory tables get rows. */
async function memoryWorkload(node: MusherNode, storyId: string | undefined): Promise<void> {
  const call = async (method: string, input: unknown): Promise<unknown> => {
    const r = await node.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  const t0 = Date.UTC(2025, 0, 6, 9);
  for (let s = 0; s < 2; s++) {
    const session = (await call("session/create", { title: `session ${s}`, ...(storyId !== undefined && s === 0 ? { storyId } : {}) })) as { id: string };
    for (let day = 0; day < 3; day++) {
      const messages = [0, 1, 2].map((k) => ({ senderId: k % 2 ? "bot" : "ann", role: k % 2 ? "assistant" : "user", timestamp: t0 + day * 86_400_000 + k * 60_000, content: `day ${day} note ${k} of session ${s}` }));
      await call("session/addMessages", { sessionId: session.id, messages });
    }
    if (s === 0) await call("session/flush", { sessionId: session.id });
    const cells = (await call("session/memcells", { sessionId: session.id })) as { id: string }[];
    if (cells[0]) await call("memcell/hide", { id: cells[0].id });
  }
}

describe("store: rebuild from the log", () => {
  it("replaying the log gives byte-identical state after a random workload", async () => {
    const dir = await mkdtemp(join(tmpdir(), "musher-rebuild-"));
    const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, workspaceId: TEST_WORKSPACE });
    await randomWorkload(node, 7);
    const state = node.replica.canonicalState();
    await node.close();

    const store = openNodeStore({ dataDir: dir, create: false });
    try {
      const report = rebuildState(store, { replace: false });
      expect(report.notApplied).toBe(0);
      expect(report.changes).toBeGreaterThan(250);
      expect(report.matched).toBe(true);
      expect(report.canonical.replayed).toBe(state);
      expect(report.canonical.stored).toBe(state);
    } finally {
      store.close();
    }
  });

  it("detects tampered tables (--check) and rebuilds them from the log", async () => {
    const dir = await mkdtemp(join(tmpdir(), "musher-rebuild-"));
    const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, workspaceId: TEST_WORKSPACE });
    await randomWorkload(node, 11);
    const state = node.replica.canonicalState();
    await node.close();

    const store = openNodeStore({ dataDir: dir, create: false });
    store.db.exec(`
      UPDATE stories SET record = json_set(record, '$.name.value', 'tampered') WHERE id = (SELECT min(id) FROM stories);
      DELETE FROM heads;
      UPDATE author_seqs SET max_seq = 1;
      UPDATE messages SET cell = NULL;
      DELETE FROM memory_docs WHERE kind = 'c';
    `);
    store.close();

    const checked = runRebuild(dir, true);
    expect(checked).toMatchObject({ matched: false, replaced: false });
    expect(checked.canonical.stored).not.toBe(state);
    const repaired = runRebuild(dir, false);
    expect(repaired).toMatchObject({ matched: false, replaced: true, notApplied: 0 });
    expect(runRebuild(dir, true).matched).toBe(true);

    const reopened = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
    try {
      expect(reopened.replica.canonicalState()).toBe(state);
      const hits = await reopened.call("memory/search", { query: "note" });
      expect(hits.ok && hits.value).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "memcell" })]));
    } finally {
      await reopened.close();
    }
  });
});

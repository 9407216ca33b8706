/**
 * A node with a data dir keeps its board, identity, workspace and author seq
 * across close/open — read from the materialized tables, not replayed.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNode, type MusherNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";

const open = (dataDir: string, workspaceId?: string): Promise<MusherNode> =>
  createNode({ dataDir, host: "embedded", log: silentLogger, ...(workspaceId ? { workspaceId } : {}) });

async function ok<T = unknown>(node: MusherNode, method: string, input: unknown): Promise<T> {
  const r = await node.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "musher-restart-"));

describe("store: restart", () => {
  it("reopens with the same board (hidden too), ids and continues the author's seq", async () => {
    const dir = await tempDir();
    let node = await open(dir);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await ok<{ id: string }>(node, "story/create", { name: `story ${i}` })).id);
    await ok(node, "story/move", { id: ids[0], stage: "3_qa" });
    await ok(node, "story/move", { id: ids[1], stage: "2_current", index: 0 });
    await ok(node, "story/retry", { id: ids[2] });
    await ok(node, "story/retry", { id: ids[2] });
    await ok(node, "story/hide", { id: ids[3] });
    await ok(node, "story/update", { id: ids[4], agent: "coder-1", blocked: true, dependsOn: [ids[5]] });
    await ok(node, "story/delete", { id: ids[5] });
    const board = await ok(node, "board/get", {});
    const all = await ok(node, "board/get", { includeHidden: true });
    const state = node.replica.canonicalState();
    const info = node.info;
    const seq = node.replica.authorSeqs().get(info.nodeId)!;
    expect(seq).toBe(14); // 13 edits and the workspace's genesis, written before the first
    await node.close();

    node = await open(dir);
    try {
      expect(node.info.nodeId).toBe(info.nodeId);
      expect(node.info.workspaceId).toBe(info.workspaceId);
      expect(await ok(node, "board/get", {})).toEqual(board);
      expect(await ok(node, "board/get", { includeHidden: true })).toEqual(all);
      expect(node.replica.canonicalState()).toBe(state);
      await ok(node, "story/retry", { id: ids[0] });
      expect(node.replica.authorSeqs().get(info.nodeId)).toBe(seq + 1);
      const [id] = node.replica.changesBySeq(info.nodeId, seq + 1);
      expect(node.replica.heads()).toEqual([id]);
    } finally {
      await node.close();
    }
  });

  it("adopts a requested workspace on an empty dir and refuses another one later", async () => {
    const dir = await tempDir();
    const node = await open(dir, "w_joined");
    expect(node.info.workspaceId).toBe("w_joined");
    await node.close();
    const again = await open(dir, "w_joined");
    expect(again.info.workspaceId).toBe("w_joined");
    await again.close();
    await expect(open(dir, "w_other")).rejects.toThrow(`${dir} holds workspace w_joined, not w_other`);
  });

  it("ingests out-of-order changes in chunks; a second ingest is all duplicates", async () => {
    const source = await open(await tempDir());
    const log: Uint8Array[] = [];
    source.replica.onApplied((e) => log.push(...e.changes));
    for (let i = 0; i < 40; i++) await ok(source, "story/create", { name: `s${i}` });
    const target = await open(await tempDir(), source.info.workspaceId);
    // 41 changes: the 40 creates and the workspace's genesis (written before the first).
    const report = await target.ingest([...log].reverse());
    expect(report).toEqual({ received: 41, applied: 41, duplicate: 0, pending: 0, rejected: 0 });
    expect(target.replica.canonicalState()).toBe(source.replica.canonicalState());
    expect((await target.ingest(log)).duplicate).toBe(41);
    await source.close();
    await target.close();
  });

  it("close() stops an ingest between chunks; finished chunks stay committed", async () => {
    const source = await open(await tempDir());
    const log: Uint8Array[] = [];
    source.replica.onApplied((e) => log.push(...e.changes));
    for (let i = 0; i < 100; i++) await ok(source, "story/create", { name: `s${i}` });
    const dir = await tempDir();
    const target = await open(dir, source.info.workspaceId);
    const running = target.ingest(log);
    await target.close();
    await expect(running).rejects.toThrow(/abort/i);
    const reopened = await open(dir);
    const applied = reopened.replica.stories().length;
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(100);
    expect((await reopened.ingest(log)).applied).toBe(100 - applied);
    await reopened.close();
    await source.close();
  });
});

/**
 * The story-editing methods through `node.call` on a real node with a temp
 * data dir: the description bound, `story/get`, WIP limits (persisted and
 * announced), trash/restore and undo/redo over the contract.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventMessage } from "../../src-shared/contract";
import { boardSchema } from "../../src-shared/Board";
import { storyDetailSchema, storySchema } from "../../src-shared/Story";
import { silentLogger } from "../base/Logger";
import { createNode, type MusherNode } from "./createNode";

const nodes: MusherNode[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "musher-storyapi-")));
  if (!dataDir) dirs.push(dir);
  const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger });
  nodes.push(node);
  const events: EventMessage[] = [];
  node.subscribe((m) => events.push(m));
  return { node, dir, events, call: (method: string, input: unknown) => node.dispatch(method, input) };
}

const value = <T>(r: { ok: true; value: unknown } | { ok: false }, parse: (v: unknown) => T): T => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return parse(r.value);
};

describe("story editing over the contract", () => {
  it("takes a description up to 64 KiB of UTF-8 and refuses one byte more", async () => {
    const { call } = await open();
    const s = value(await call("story/create", { name: "D" }), (v) => storySchema.parse(v));
    const max = "é".repeat(32 * 1024); // 2 bytes each: exactly 64 KiB
    expect((await call("story/update", { id: s.id, description: max })).ok).toBe(true);
    expect(value(await call("story/get", { id: s.id }), (v) => storyDetailSchema.parse(v)).description).toBe(max);
    const over = await call("story/update", { id: s.id, description: `${max}x` });
    expect(over).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(value(await call("story/get", { id: s.id }), (v) => storyDetailSchema.parse(v))).toMatchObject({ description: max, conflicts: [] });
  });

  it("sets a stage's WIP limit: on the board, announced, and still there after a restart", async () => {
    const first = await open();
    const set = await first.call("stage/setLimit", { stage: "3_qa", limit: 3 });
    expect(set).toEqual({ ok: true, value: { id: "3_qa", name: "QA", limit: 3 } });
    expect(first.events.some((e) => e.event === "board/changed")).toBe(true);
    expect((await first.call("stage/setLimit", { stage: "3_qa", limit: 0 })).ok).toBe(false);
    await first.node.close();
    const again = await open(first.dir);
    const board = value(await again.call("board/get", {}), (v) => boardSchema.parse(v));
    expect(board.stages.find((s) => s.id === "3_qa")!.limit).toBe(3);
    expect(board.stages.find((s) => s.id === "4_merge")!.limit).toBeNull();
    await again.call("stage/setLimit", { stage: "3_qa", limit: null });
    expect(value(await again.call("board/get", {}), (v) => boardSchema.parse(v)).stages[2]!.limit).toBeNull();
  });

  it("delete shows up in the trash, restore and undo bring it back, edit/undo with nothing to undo says null", async () => {
    const { call } = await open();
    expect(await call("edit/undo", {})).toEqual({ ok: true, value: { undone: null } });
    const s = value(await call("story/create", { name: "T" }), (v) => storySchema.parse(v));
    await call("story/delete", { id: s.id });
    expect(value(await call("story/trash", {}), (v) => v as { stories: { id: string }[] }).stories.map((x) => x.id)).toEqual([s.id]);
    expect(await call("edit/undo", {})).toEqual({ ok: true, value: { undone: "Undid delete 'T'" } });
    expect(value(await call("story/trash", {}), (v) => v as { stories: unknown[] }).stories).toEqual([]);
    expect(await call("edit/redo", {})).toEqual({ ok: true, value: { redone: "Redid delete 'T'" } });
    expect((await call("story/restore", { id: s.id })).ok).toBe(true);
    expect(value(await call("board/get", {}), (v) => boardSchema.parse(v)).stories.map((x) => x.name)).toEqual(["T"]);
    expect(await call("story/get", { id: "nope" })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});

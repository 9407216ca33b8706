import { describe, expect, it } from "vitest";
import { createNode } from "./createNode";
import { silentLogger } from "../base/Logger";

const newNode = () => createNode({ dataDir: null, host: "embedded", log: silentLogger });

describe("dispatch through a node", () => {
  it("validates input against the contract and returns a typed error", async () => {
    const node = await newNode();
    const res = await node.dispatch("story/create", { name: 5 });
    expect(res).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "invalid input for story/create",
        issues: [{ path: ["name"], message: expect.any(String), code: "invalid_type" }],
      },
    });
  });

  it("refuses unknown fields, unknown methods, and non-object input", async () => {
    const node = await newNode();
    expect(await node.dispatch("board/get", { surprise: 1 })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await node.dispatch("nope/never", {})).toMatchObject({ ok: false, error: { code: "unknown_method" } });
    expect(await node.dispatch("__proto__", {})).toMatchObject({ ok: false, error: { code: "unknown_method" } });
    expect(await node.dispatch("story/create", "a string")).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await node.dispatch("story/move", { id: "x", stage: "7_nowhere" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", issues: [{ path: ["stage"] }] },
    });
  });

  it("turns a missing story into not_found, not a crash", async () => {
    const node = await newNode();
    expect(await node.dispatch("story/update", { id: "s_none", name: "x" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });

  it("keeps two nodes in one process independent", async () => {
    const a = await newNode();
    const b = await newNode();
    await a.call("story/create", { name: "only on a" });
    const boardB = await b.call("board/get", {});
    expect(boardB).toMatchObject({ ok: true, value: { stories: [] } });
    expect(a.info.nodeId).not.toBe(b.info.nodeId);
  });

  it("emits board/changed after a committed edit, with the story id", async () => {
    const node = await newNode();
    const seen: unknown[] = [];
    node.subscribe((m) => seen.push(m));
    const res = await node.dispatch("story/create", { name: "x" });
    if (!res.ok) throw new Error("create failed");
    const id = (res.value as { id: string }).id;
    // The node's first write also founds its workspace (its genesis: `member/changed`); the board event is one.
    expect(seen.filter((m) => (m as { event: string }).event !== "member/changed")).toEqual([{ event: "board/changed", payload: { storyIds: [id] } }]);
  });

  it("orders a column by the index given to story/move", async () => {
    const node = await newNode();
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) {
      const r = await node.dispatch("story/create", { name });
      if (r.ok) ids.push((r.value as { id: string }).id);
    }
    await node.dispatch("story/move", { id: ids[2], stage: "1_backlog", index: 0 });
    const board = await node.dispatch("board/get", {});
    if (!board.ok) throw new Error("board/get failed");
    const names = (board.value as { stories: { name: string }[] }).stories.map((s) => s.name);
    expect(names).toEqual(["c", "a", "b"]);
  });
});

describe("the CRDT-backed story verbs through the contract", () => {
  it("retries, claims, releases, hides, unhides and deletes", async () => {
    const node = await newNode();
    const call = async (method: string, input: unknown) => {
      const r = await node.dispatch(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value as Record<string, unknown>;
    };
    const { id } = (await call("story/create", { name: "x" })) as { id: string };
    expect(await call("story/retry", { id })).toMatchObject({ retryCount: 1 });
    expect(await call("story/retry", { id })).toMatchObject({ retryCount: 2 });
    expect(await call("story/claim", { id })).toMatchObject({ claimedBy: node.info.nodeId });
    expect(await node.dispatch("story/claim", { id, claimant: "agent-7" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    expect(await call("story/release", { id })).toMatchObject({ claimedBy: null, claimedAt: null });
    expect(await call("story/claim", { id, claimant: "agent-7" })).toMatchObject({ claimedBy: "agent-7" });
    expect(await call("story/hide", { id })).toMatchObject({ hidden: true });
    expect(((await call("board/get", {})) as { stories: unknown[] }).stories).toHaveLength(0);
    expect(((await call("board/get", { includeHidden: true })) as { stories: unknown[] }).stories).toHaveLength(1);
    expect(await call("story/unhide", { id })).toMatchObject({ hidden: false });
    expect(await call("story/delete", { id })).toEqual({ id });
    expect(await node.dispatch("story/retry", { id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(((await call("board/get", { includeHidden: true })) as { stories: unknown[] }).stories).toHaveLength(0);
  });

  it("reports every commit as a board/changed event, once", async () => {
    const node = await newNode();
    const seen: string[][] = [];
    node.subscribe((m) => {
      if (m.event === "board/changed") seen.push(m.payload.storyIds);
    });
    const r = await node.dispatch("story/create", { name: "x" });
    const id = r.ok ? (r.value as { id: string }).id : "";
    await node.dispatch("story/retry", { id });
    expect(seen).toEqual([[id], [id]]);
  });
});

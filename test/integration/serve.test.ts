/**
 * `musher serve` as a user runs it: a real child process, the contract over
 * real HTTP, push events over a real WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { boardSchema } from "../../src-shared/Board";
import { storySchema } from "../../src-shared/Story";
import { startServe, type ServeProcess } from "../support/startServe";

let serve: ServeProcess;

beforeAll(async () => {
  serve = await startServe();
});

afterAll(async () => {
  await serve?.stop();
});

describe("musher serve", () => {
  it("prints exactly one line on stdout: the link with the token", () => {
    expect(serve.stdout).toHaveLength(1);
    expect(serve.stdout[0]).toBe(`musher listening on ${serve.base}/?token=${serve.token}`);
  });

  it("answers board/get with the six stages", async () => {
    const { status, body } = await serve.call("board/get", {});
    expect(status).toBe(200);
    const board = boardSchema.parse(body);
    expect(board.stages.map((s) => s.id)).toEqual(["1_backlog", "2_current", "3_qa", "4_merge", "5_done", "6_archived"]);
    expect(board.stages.map((s) => s.name)).toEqual(["Backlog", "Current", "QA", "Merge", "Done", "Archived"]);
  });

  it("refuses calls without the token, or with a wrong one (401)", async () => {
    expect((await serve.call("board/get", {}, null)).status).toBe(401);
    const wrong = await serve.call("board/get", {}, "nope");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: "unauthorized" });
    const page = await fetch(`${serve.base}/`);
    expect(page.status).toBe(401);
  });

  it("rejects bad input with the typed error (400) and keeps serving", async () => {
    const bad = await serve.call("story/create", { name: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "invalid_input", issues: [{ path: ["name"] }] });
    const garbage = await fetch(`${serve.base}/api/story/create`, {
      method: "POST",
      headers: { authorization: `Bearer ${serve.token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: "invalid_input" });
    const unknown = await serve.call("story/explode", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "unknown_method" });
    const big = await serve.call("story/create", { name: "x".repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await serve.call("board/get", {})).status).toBe(200);
  });

  it("creates, updates and moves a story; board/get reflects it", async () => {
    const created = storySchema.parse((await serve.call("story/create", { name: "Write the README" })).body);
    expect(created).toMatchObject({ name: "Write the README", stage: "1_backlog", retryCount: 0, hidden: false });
    const moved = await serve.call("story/move", { id: created.id, stage: "3_qa" });
    expect(moved.status).toBe(200);
    const updated = await serve.call("story/update", { id: created.id, agent: "coder-1", blocked: true });
    expect(updated.body).toMatchObject({ agent: "coder-1", blocked: true, stage: "3_qa" });
    const board = boardSchema.parse((await serve.call("board/get", {})).body);
    expect(board.stories.find((s) => s.id === created.id)).toMatchObject({ stage: "3_qa", agent: "coder-1" });
    const missing = await serve.call("story/move", { id: "s_missing", stage: "3_qa" });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "not_found" });
  });

  it("pushes board/changed over /api/events", async () => {
    const ws = new WebSocket(`${serve.base.replace("http", "ws")}/api/events`, {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const got = new Promise<unknown>((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)))));
    const created = storySchema.parse((await serve.call("story/create", { name: "Evented" })).body);
    expect(await got).toEqual({ event: "board/changed", payload: { storyIds: [created.id] } });
    ws.close();
  });

  it("refuses the event socket without the token", async () => {
    const ws = new WebSocket(`${serve.base.replace("http", "ws")}/api/events`);
    const status = await new Promise<number>((resolve) => {
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("open", () => resolve(101));
      ws.once("error", () => resolve(-1));
    });
    expect(status).toBe(401);
  });

  it("trades the ?token= link for a cookie that then works for the API", async () => {
    const res = await fetch(`${serve.base}/?token=${serve.token}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    const api = await fetch(`${serve.base}/api/board/get`, {
      method: "POST",
      headers: { cookie: cookie.split(";")[0]!, "content-type": "application/json" },
      body: "{}",
    });
    expect(api.status).toBe(200);
    const page = await fetch(`${serve.base}/`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });
});

describe("musher serve lifecycle", () => {
  it("stops cleanly on SIGINT and on SIGTERM", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const s = await startServe();
      expect(await s.stop(signal)).toBe(0);
      expect(s.stderr.join("\n")).toContain('"msg":"stopped"');
    }
  });

  it("reports a port in use in one line and exits non-zero", async () => {
    const first = await startServe();
    try {
      await expect(startServe({ args: ["--port", String(first.port)] })).rejects.toThrow(/exited with 1[\s\S]*already in use/);
    } finally {
      await first.stop();
    }
  });
});

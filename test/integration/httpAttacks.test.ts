/**
 * HTTP edges of a real `musher serve` (issue 10, attack 7): a refused
 * request (401, 413) ends its connection instead of reading an endless body,
 * and a relative `--static` directory serves its assets, not index.html.
 */
import { readdirSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveFleet } from "../support/serveFleet";
import { ROOT, startServe, type ServeProcess } from "../support/startServe";
import { stillHealthy } from "../support/stillHealthy";

const fleet = serveFleet();
let node: ServeProcess;

beforeAll(async () => {
  node = await fleet.track(startServe());
});
afterAll(() => fleet.stopAll());

/**
 * Sends `head`, then body chunks of 64 KiB for as long as the server keeps
 * the connection (at most `maxMs`); returns the status line and whether the
 * server ended the connection while we were still sending.
 */
async function endlessBody(head: string, maxMs = 5_000): Promise<{ status: number; closedByServer: boolean; sentBytes: number }> {
  // Half-open allowed: a hostile client ignores the server's FIN and keeps sending; only the server can end this.
  const socket: Socket = connect({ port: node.port, host: "127.0.0.1", allowHalfOpen: true });
  let response = "";
  let closed = false;
  let sentBytes = 0;
  socket.on("data", (d: Buffer) => (response += d.toString("latin1")));
  socket.on("error", () => {});
  const ended = new Promise<void>((r) => socket.once("close", () => ((closed = true), r())));
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(head);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const chunked = /transfer-encoding: chunked/i.test(head);
  const started = Date.now();
  while (!closed && Date.now() - started < maxMs) {
    const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk);
    sentBytes += chunk.length;
    if (!ok) await Promise.race([new Promise((r) => socket.once("drain", r)), ended, new Promise((r) => setTimeout(r, 100))]);
  }
  const closedByServer = closed;
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), closedByServer, sentBytes };
}

describe("HTTP refusals end the connection", { timeout: 60_000 }, () => {
  it("401 without a token: the endless body is not read", async () => {
    const from = node.stderr.length;
    const r = await endlessBody(`POST /api/story/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    expect(r.status).toBe(401);
    expect(r.closedByServer).toBe(true);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 5, join: false });
  });

  it("413 for a declared body over 1 MiB, and for a chunked one that grows past it", async () => {
    const from = node.stderr.length;
    const auth = `Authorization: Bearer ${node.token}\r\nContent-Type: application/json\r\n`;
    const declared = await endlessBody(`POST /api/story/create HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 1000000000\r\n\r\n`);
    expect(declared.status).toBe(413);
    expect(declared.closedByServer).toBe(true);
    const chunked = await endlessBody(`POST /api/story/create HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\n`);
    expect(chunked.status).toBe(413);
    expect(chunked.closedByServer).toBe(true);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 5, join: false });
  });

  it("a normal call on a kept-alive connection still works (the close is only for unread bodies)", async () => {
    const res = await fetch(`${node.base}/api/node/info`, { method: "POST", headers: { authorization: `Bearer ${node.token}`, "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(res.headers.get("connection")).not.toBe("close");
  });
});

describe("--static with a relative path", { timeout: 60_000 }, () => {
  it("serves the built assets themselves, not index.html", async () => {
    const rel = "out/renderer"; // relative to the child's cwd (the repo root)
    const js = readdirSync(join(ROOT, rel, "assets")).find((f) => f.endsWith(".js"))!;
    const s = await fleet.track(startServe({ args: ["--static", `./${rel}`] }));
    const res = await fetch(`${s.base}/assets/${js}`, { headers: { authorization: `Bearer ${s.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await res.text()).not.toMatch(/<!doctype html>/i);
    const index = await fetch(`${s.base}/`, { headers: { authorization: `Bearer ${s.token}` } });
    expect(await index.text()).toMatch(/<!doctype html>/i);
  });
});

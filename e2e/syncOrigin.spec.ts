/**
 * Issue 10, attack 5, from a real browser: a web page on another origin
 * opens a WebSocket to a running `musher serve`'s `/sync`. Chromium sends
 * `Origin` on every WebSocket upgrade, so the node refuses it (403) before
 * any frame: the page never sees `hello`, let alone the board.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { startServe, type ServeProcess } from "../test/support/startServe";

let serve: ServeProcess;
let attacker: Server;
let attackerBase: string;

test.beforeAll(async () => {
  serve = await startServe();
  attacker = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>some web page</title>");
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", () => r()));
  attackerBase = `http://localhost:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await serve?.stop();
  await new Promise<void>((r) => (attacker ? attacker.close(() => r()) : r()));
});

test("a page on another origin cannot open /sync: no hello, the upgrade is refused", async ({ page }) => {
  await page.goto(`${attackerBase}/`);
  const outcome = await page.evaluate(async (url) => {
    return await new Promise<{ opened: boolean; messages: number; code: number }>((resolve) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      let opened = false;
      let messages = 0;
      ws.onopen = () => (opened = true);
      ws.onmessage = () => messages++;
      ws.onclose = (e) => resolve({ opened, messages, code: e.code });
      setTimeout(() => resolve({ opened, messages, code: -1 }), 5_000);
    });
  }, `ws://127.0.0.1:${serve.port}/sync`);
  expect(outcome).toEqual({ opened: false, messages: 0, code: 1006 });
  expect(serve.logs().some((l) => l.msg === "sync: upgrade refused" && l["status"] === 403)).toBe(true);
});

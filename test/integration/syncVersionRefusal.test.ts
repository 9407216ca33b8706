/**
 * Envelope 3 against a peer that still speaks envelope 2 (PROTOCOL.md
 * §Versions), both directions, with raw sockets written from the document:
 * an envelope-2 client dialing a real `musher serve`, and the node dialing
 * an envelope-2 rendezvous. Either way the node closes with 4001 and a
 * reason a person can act on, and logs it.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { apiOf } from "../support/apiOf";
import { startServe, type ServeProcess } from "../support/startServe";
import { waitFor } from "../support/waitFor";

const REASON = "unsupported envelope version 2: this node speaks sync v3 only; upgrade the older node";
/** An envelope-2 control frame: byte 0 = 2, byte 1 = 0x01, UTF-8 JSON. */
const v2Control = (message: Record<string, unknown>): Buffer => Buffer.concat([Buffer.from([2, 1]), Buffer.from(JSON.stringify(message), "utf8")]);

let node: ServeProcess;
beforeAll(async () => {
  node = await startServe();
});
afterAll(async () => {
  await node?.stop();
});

const closingLogged = (since: number, dir: "in" | "out"): boolean =>
  node
    .logs()
    .slice(since)
    .some((l) => l.msg === "sync: closing link" && l["code"] === 4001 && l["dir"] === dir && l["reason"] === REASON);

describe("an envelope-2 peer", () => {
  it("dialing us: our hello says envelope 3 (it refuses that), its first frame is refused with 4001", async () => {
    const since = node.logs().length;
    const ws = new WebSocket(apiOf(node).syncUrl);
    const first = new Promise<Buffer>((resolve) => ws.once("message", (data) => resolve(data as Buffer)));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })));
    const hello = await first;
    expect(hello[0]).toBe(3); // an envelope-2 node refuses this frame the same way (4001)
    ws.send(v2Control({ t: "auth", workspace: "w", node: "a".repeat(64), nonce: "b".repeat(64), sig: "c".repeat(128) }));
    expect(await closed).toEqual({ code: 4001, reason: REASON });
    await waitFor(() => closingLogged(since, "in"), "the refusal logged");
  });

  it("as our rendezvous: its envelope-2 hello is refused with 4001", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", path: "/sync" });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      wss.on("connection", (ws) => {
        ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
        ws.send(v2Control({ t: "hello", workspace: "w", node: "d".repeat(64), nonce: "e".repeat(64) }));
      }),
    );
    await new Promise<void>((r) => wss.once("listening", () => r()));
    const since = node.logs().length;
    try {
      await apiOf(node).ok("sync/setRendezvous", { urls: [`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/sync`] });
      expect(await closed).toEqual({ code: 4001, reason: REASON });
      await waitFor(() => closingLogged(since, "out"), "the refusal logged");
      await apiOf(node).ok("sync/setRendezvous", { urls: [] });
    } finally {
      await new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      });
    }
  });
});

/**
 * Attacks before the handshake on a real `musher serve`'s `/sync`: browser
 * origins, frames other than the handshake's, oversized unauthenticated
 * frames (refused on their header, never buffered), too many unauthenticated
 * sockets, and a crowd of 1 MiB unauthenticated frames (the node keeps
 * answering within 1 s and its RSS does not grow with them). After each:
 * the node writes, answers, and a fresh device joins and converges.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOf } from "../support/apiOf";
import { ProtocolPeer } from "../support/protocolPeer";
import { closeCodeOf, frameHeader, rawUpgrade, type RawUpgrade } from "../support/rawSyncSocket";
import { serveFleet } from "../support/serveFleet";
import { inviteFrom, startServe, type ServeProcess } from "../support/startServe";
import { stillHealthy, timedInfo } from "../support/stillHealthy";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
let node: ServeProcess;

beforeAll(async () => {
  node = await fleet.track(startServe());
  for (let i = 0; i < 3; i++) await apiOf(node).ok("story/create", { name: `existing ${i}` });
});
afterAll(() => fleet.stopAll());

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error("no VmRSS");
  return Number(m[1]) * 1024;
}

const unauthenticated = async (): Promise<number> => (await apiOf(node).status()).peers.filter((p) => p.state === "handshake").length;

describe("/sync before the handshake", { timeout: 120_000 }, () => {
  it("refuses a browser (an upgrade with Origin) with 403 before any frame", async () => {
    const from = node.stderr.length;
    const raw = await rawUpgrade(node.port, { origin: "http://localhost:8099" });
    expect(raw.status).toBe(403);
    await raw.ended;
    expect(closeCodeOf(raw.received)).toBe(0); // no frame, no hello: only the HTTP refusal
    await expect(ProtocolPeer.connect(apiOf(node).syncUrl, { headers: { origin: "null" } })).rejects.toThrow(/HTTP 403/);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 10 });
  });

  it("closes on a changes frame or a non-handshake message before the handshake", async () => {
    const from = node.stderr.length;
    const early = await ProtocolPeer.connect(apiOf(node).syncUrl, { handshake: false });
    await early.waitControl("hello");
    early.sendChanges([early.makeChange({ seq: 1, ops: [{ t: "create" }] })]);
    expect((await early.closed).code).toBe(4000);
    const syncFirst = await ProtocolPeer.connect(apiOf(node).syncUrl, { handshake: false });
    await syncFirst.waitControl("hello");
    syncFirst.sendControl({ t: "sync", vec: [], heads: [] });
    expect((await syncFirst.closed).code).toBe(4000);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 12, join: false });
  });

  it("refuses an unauthenticated frame over 4 KiB on its header, without waiting for (or buffering) its payload", async () => {
    const from = node.stderr.length;
    const raw = await rawUpgrade(node.port);
    expect(raw.status).toBe(101);
    // Only the header of a 1 MiB frame: the close comes at once, not at the 10 s handshake timeout.
    const started = Date.now();
    raw.socket.write(frameHeader(1024 * 1024));
    await waitFor(() => closeCodeOf(raw.received) !== 0, "the server's close frame", 5_000);
    expect(closeCodeOf(raw.received)).toBe(1009);
    expect(Date.now() - started).toBeLessThan(5_000);
    raw.socket.destroy();
    // 4 KiB + 1 of a well-formed control frame: refused as well.
    const peer = await ProtocolPeer.connect(apiOf(node).syncUrl, { handshake: false });
    await peer.waitControl("hello");
    peer.sendControl({ t: "need", ids: ["a".repeat(4096)] });
    expect((await peer.closed).code).toBe(1009);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 12, join: false });
  });

  it("accepts the client's pipelined sync over 4 KiB once auth verified (the cap is pre-auth only)", async () => {
    const heads = Array.from({ length: 3_000 }, (_, i) => i.toString(16).padStart(64, "0"));
    const peer = await ProtocolPeer.connect(apiOf(node).syncUrl, { heads, invite: await inviteFrom(node, "big sync") });
    await peer.caughtUp();
    expect(peer.received.length).toBeGreaterThanOrEqual(3);
    peer.close();
    await peer.closed;
  });

  it("admits at most 64 unauthenticated sockets; the next upgrade gets 503, and a slot frees when one leaves", async () => {
    const from = node.stderr.length;
    const held: RawUpgrade[] = [];
    for (let i = 0; i < 64; i++) held.push(await rawUpgrade(node.port));
    expect(held.every((h) => h.status === 101)).toBe(true);
    await waitFor(async () => (await unauthenticated()) === 64, "64 sockets in their handshake");
    const refused = await rawUpgrade(node.port);
    expect(refused.status).toBe(503);
    // Authenticated peers do not count: the bound is on sockets that proved nothing.
    held.pop()!.socket.destroy();
    await waitFor(async () => (await unauthenticated()) === 63, "a slot free");
    const peer = await ProtocolPeer.connect(apiOf(node).syncUrl, { invite: await inviteFrom(node, "after the flood") });
    await peer.caughtUp();
    expect(await timedInfo(node)).toBeLessThan(1_000);
    for (const h of held) h.socket.destroy();
    peer.close();
    await waitFor(async () => (await unauthenticated()) === 0, "all unauthenticated sockets gone");
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 64 * 3 + 30 });
  });

  it("300 unauthenticated sockets sending 1 MiB frames neither stall the node nor grow its memory", async () => {
    const from = node.stderr.length;
    const pid = node.proc.pid!;
    const rssBefore = rssBytes(pid);
    const payload = Buffer.concat([frameHeader(1024 * 1024), Buffer.from([3, 1]), Buffer.alloc(1024 * 1024 - 2, 0x7b)]);
    const infoTimes: number[] = [];
    let attacking = true;
    const probe = (async () => {
      while (attacking) {
        infoTimes.push(await timedInfo(node));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let rssPeak = rssBefore;
    const sockets: RawUpgrade[] = [];
    // In waves of 100, each socket writing a whole 1 MiB frame and then holding the connection.
    for (let wave = 0; wave < 3; wave++) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => rawUpgrade(node.port).catch(() => null)));
      for (const b of batch) {
        if (!b) continue;
        sockets.push(b);
        b.socket.on("error", () => {});
        if (b.status === 101) b.socket.write(payload);
      }
      rssPeak = Math.max(rssPeak, rssBytes(pid));
    }
    await waitFor(async () => (await unauthenticated()) === 0, "every unauthenticated socket closed by the node", 20_000);
    rssPeak = Math.max(rssPeak, rssBytes(pid));
    attacking = false;
    await probe;
    for (const s of sockets) s.socket.destroy();
    const upgraded = sockets.filter((s) => s.status === 101).length;
    const refused = sockets.filter((s) => s.status === 503).length;
    const growthMiB = (rssPeak - rssBefore) / 1024 / 1024;
    console.log(JSON.stringify({ attack: "pre-auth 1 MiB frames", sockets: sockets.length, upgraded, refused, rssBeforeMiB: +(rssBefore / 1048576).toFixed(1), rssPeakMiB: +(rssPeak / 1048576).toFixed(1), growthMiB: +growthMiB.toFixed(1), maxInfoMs: +Math.max(...infoTimes).toFixed(1) }));
    expect(upgraded + refused).toBe(300);
    expect(Math.max(...infoTimes)).toBeLessThan(1_000);
    // 300 × 1 MiB buffered would be ~300 MiB; refused on the header, nothing is.
    expect(growthMiB).toBeLessThan(40);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 300 * 4 + 30 });
  });
});

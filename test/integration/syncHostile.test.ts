/**
 * Hostile input on a real `musher serve` process's `/sync` (started with
 * --trusted-key): each attack is refused with its close code, logged as one
 * JSON line on stderr, and leaves the node serving with its heads unchanged.
 * The deeper cases (forged signature, replay, flood, a peer that never
 * reads) run in-process in src-main/sync/SyncService.hostile.test.ts.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { testIdentity } from "../support/crdt/testKit";
import { hostilePeer, type HostilePeer } from "../support/sync/hostilePeer";
import { SyncCloseCode } from "../../src-main/sync/SyncCloseCode";
import { encodeControl } from "../../src-main/sync/SyncFrame";
import { storySchema } from "../../src-shared/Story";
import { apiOf } from "../support/apiOf";
import { inviteFrom, startServe, type ServeProcess } from "../support/startServe";
import { identityFromSeed } from "../../src-main/crdt/Identity";
import { parseInvite } from "../../src-main/crdt/inviteLine";
import { waitFor } from "../support/waitFor";

const trusted = testIdentity(1);
const stranger = testIdentity(2);
let node: ServeProcess;
let workspace: string;
let heads: string[];

beforeAll(async () => {
  node = await startServe({ args: ["--trusted-key", trusted.publicKey] });
  for (let i = 0; i < 3; i++) await apiOf(node).okAs(storySchema, "story/create", { name: `existing ${i}` });
  workspace = (await apiOf(node).info()).workspaceId;
  heads = (await apiOf(node).status()).heads;
});

afterAll(async () => {
  await node?.stop();
});

/** A refusal with `code` logged after log line `since`, from a link in direction `dir`. */
const closingLogged = (since: number, code: number, dir = "in"): boolean =>
  node
    .logs()
    .slice(since)
    .some((l) => l.msg === "sync: closing link" && l["code"] === code && l["dir"] === dir && l.level === "warn");

/** After an attack: still answering, nothing applied, nobody connected. */
async function stillServing(): Promise<void> {
  expect((await apiOf(node).info()).workspaceId).toBe(workspace);
  const status = await apiOf(node).status();
  expect(status.heads).toEqual(heads);
  await waitFor(async () => (await apiOf(node).status()).peers.length === 0, "the refused link gone");
}

const attacks: [string, (p: HostilePeer) => void | Promise<void>, number][] = [
  ["garbage text", (p) => p.ws.send("GET /etc/passwd"), SyncCloseCode.badFrame],
  ["garbage binary", (p) => p.ws.send(Buffer.from([3, 2, 0, 0, 0, 9, 1, 2, 3])), SyncCloseCode.badFrame],
  ["an unknown envelope version", (p) => p.ws.send(Buffer.from([9, 1, 123, 125])), SyncCloseCode.unsupportedVersion],
  ["an oversize frame", (p) => p.ws.send(Buffer.alloc(1024 * 1024 + 1, 1)), SyncCloseCode.tooBig],
  ["changes before the handshake", (p) => p.ws.send(Buffer.from([3, 2, 0, 67, ...Buffer.alloc(67, 1)])), SyncCloseCode.badFrame],
  ["an auth for another workspace", async (p) => p.control(await p.auth(trusted, "w_someone_else")), SyncCloseCode.wrongWorkspace],
  ["a valid auth from an untrusted key", async (p) => p.control(await p.auth(stranger, workspace)), SyncCloseCode.untrusted],
  [
    "a forged signature from the trusted key",
    async (p) => p.control({ ...(await p.auth(trusted, workspace)), sig: "11".repeat(64) }),
    SyncCloseCode.authFailed,
  ],
];

describe("hostile input on musher serve's /sync", { timeout: 60_000 }, () => {
  for (const [name, attack, code] of attacks) {
    it(`refuses ${name} (close ${code}), logs it, keeps serving, changes nothing`, async () => {
      const since = node.logs().length;
      const p = await hostilePeer(apiOf(node).syncUrl);
      await p.hello();
      await attack(p);
      expect((await p.closed).code).toBe(code);
      await waitFor(() => closingLogged(since, code), `the refusal (${code}) on stderr`);
      await stillServing();
    });
  }

  it("a trusted key that is not a member is refused too (4010): --trusted-key only narrows membership", async () => {
    const since = node.logs().length;
    const p = await hostilePeer(apiOf(node).syncUrl);
    p.control(await p.auth(trusted, workspace));
    expect((await p.closed).code).toBe(SyncCloseCode.notMember);
    await waitFor(() => closingLogged(since, SyncCloseCode.notMember), "the refusal (4010) on stderr");
    await stillServing();
  });

  it("/sync needs no browser token, and the trusted key holding an invite completes the handshake", async () => {
    const invite = parseInvite(await inviteFrom(node, "trusted"));
    if (!invite.ok) throw new Error(invite.reason);
    const p = await hostilePeer(apiOf(node).syncUrl);
    p.control(await p.auth(trusted, workspace, undefined, identityFromSeed(Buffer.from(invite.invite.secret, "hex"))));
    await waitFor(() => p.frames.some((f) => f.ok && f.kind === "control" && f.message.t === "welcome"), "welcome");
    await waitFor(async () => (await apiOf(node).status()).online, "the trusted peer online");
    p.ws.close();
    heads = (await apiOf(node).status()).heads; // the invite is a change; the peer itself applied nothing
    await stillServing();
  });

  it("refuses a rendezvous whose hello names another workspace (4002) when it dials out", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", path: "/sync" });
    const closed = new Promise<number>((resolve) =>
      wss.on("connection", (ws) => {
        ws.on("close", (c) => resolve(c));
        ws.send(encodeControl({ t: "hello", workspace: "w_elsewhere", node: trusted.publicKey, nonce: "cd".repeat(32) }));
      }),
    );
    await new Promise<void>((r) => wss.once("listening", () => r()));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/sync`;
    const since = node.logs().length;
    try {
      await apiOf(node).ok("sync/setRendezvous", { urls: [url] });
      expect(await closed).toBe(SyncCloseCode.wrongWorkspace);
      await waitFor(() => closingLogged(since, SyncCloseCode.wrongWorkspace, "out"), "the refusal of the rendezvous on stderr");
      await apiOf(node).ok("sync/setRendezvous", { urls: [] });
      await stillServing();
    } finally {
      await new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      });
    }
  });
});

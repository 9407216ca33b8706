/**
 * Sync between real `musher serve` processes over real WebSockets on
 * loopback: joining a workspace, convergence of two and three nodes, how
 * fast an edit shows on a connected peer, and the refusals a misconfigured
 * node gets (another workspace, no rendezvous to join, bad flags).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { storySchema } from "../../src-shared/Story";
import { SyncCloseCode } from "../../src-main/sync/SyncCloseCode";
import { apiOf } from "../support/apiOf";
import { converged } from "../support/converged";
import { freePort } from "../support/freePort";
import { CLI, ROOT, startServe, type ServeProcess, type StartServeOptions } from "../support/startServe";
import { serveFleet } from "../support/serveFleet";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
afterEach(() => fleet.stopAll());

async function serve(opts: StartServeOptions & { rendezvous?: ServeProcess } = {}): Promise<ServeProcess> {
  const { rendezvous, ...rest } = opts;
  const args = [...(rest.args ?? []), ...(rendezvous ? ["--rendezvous", apiOf(rendezvous).syncUrl] : [])];
  // A fresh node joins the rendezvous's workspace by invite.
  const join = rendezvous && rest.dataDir === undefined ? { invitedBy: rendezvous } : {};
  return fleet.track(startServe({ ...rest, args, ...join }));
}

const online = async (p: ServeProcess, peers = 1): Promise<boolean> =>
  (await apiOf(p).status()).peers.filter((x) => x.state === "live").length >= peers;

const create = async (p: ServeProcess, name: string, stage = "1_backlog") =>
  apiOf(p).okAs(storySchema, "story/create", { name, stage });

describe("sync between musher serve processes", { timeout: 60_000 }, () => {
  it("a node started on an empty data dir with --join (an invite from A) and --rendezvous joins A's workspace; two nodes converge", async () => {
    const a = await serve();
    for (let i = 0; i < 5; i++) await create(a, `before ${i}`);
    const b = await serve({ rendezvous: a });
    const [infoA, infoB] = await Promise.all([apiOf(a).info(), apiOf(b).info()]);
    expect(infoB.workspaceId).toBe(infoA.workspaceId);
    expect(infoB.nodeId).not.toBe(infoA.nodeId);
    expect(b.logs().some((l) => l.msg === "members: joining a workspace by invite" && l["workspace"] === infoA.workspaceId)).toBe(true);

    await waitFor(() => online(b), "B live with A");
    // Both sides edit at once, including the same story.
    const shared = (await apiOf(a).board()).stories[0]!;
    await Promise.all([
      (async () => {
        for (let i = 0; i < 10; i++) await create(a, `a ${i}`);
        await apiOf(a).ok("story/move", { id: shared.id, stage: "3_qa" });
      })(),
      (async () => {
        for (let i = 0; i < 10; i++) await create(b, `b ${i}`, "2_current");
        await apiOf(b).ok("story/retry", { id: shared.id });
      })(),
    ]);
    await waitFor(() => converged([a, b]), "two nodes converged");
    const board = await apiOf(a).board();
    expect(board.stories).toHaveLength(25);
    expect(board.stories.find((s) => s.id === shared.id)).toMatchObject({ stage: "3_qa", retryCount: 1 });
    const status = await apiOf(b).status();
    expect(status).toMatchObject({ online: true, unsent: 0, workspaceId: infoA.workspaceId });
    expect(status.rendezvous).toEqual([{ url: apiOf(a).syncUrl, source: "flag", state: "connected", failures: 0, nextAttemptAt: null, lastError: null }]);
  });

  it("three nodes through one rendezvous converge (equal heads, equal boards)", async () => {
    const hub = await serve();
    const first = await create(hub, "on the hub");
    const [b, c] = await Promise.all([serve({ rendezvous: hub }), serve({ rendezvous: hub })]);
    await waitFor(async () => (await online(b)) && (await online(c)) && (await online(hub, 2)), "both spokes live");
    await Promise.all(
      [b, c].map(async (n, k) => {
        for (let i = 0; i < 8; i++) await create(n, `spoke ${k} ${i}`);
      }),
    );
    await apiOf(c).ok("story/move", { id: first.id, stage: "5_done" });
    await waitFor(() => converged([hub, b, c]), "three nodes converged");
    expect((await apiOf(hub).board()).stories).toHaveLength(17);
    expect((await apiOf(b).board()).stories.find((s) => s.id === first.id)?.stage).toBe("5_done");
    // The hub relays each change once: a spoke received exactly the other spoke's changes (its join, 8 creates,
    // the move) and the hub's own (genesis, its story, the two invites).
    const fromHub = (await apiOf(b).status()).peers[0]!;
    expect(fromHub.changesIn).toBe(4 + 1 + 8 + 1);
  });

  it("an edit on one node is visible on a connected peer within 200 ms (median of 10, pushed on /api/events)", async () => {
    const a = await serve();
    const b = await serve({ rendezvous: a });
    await waitFor(() => online(b), "B live with A");
    const events = new WebSocket(`${b.base.replace("http", "ws")}/api/events`, { headers: { authorization: `Bearer ${b.token}` } });
    await new Promise<void>((resolve, reject) => {
      events.once("open", () => resolve());
      events.once("error", reject);
    });
    const seen = new Map<string, number>();
    events.on("message", (data) => {
      const m = JSON.parse(String(data)) as { event: string; payload: { storyIds?: string[] } };
      if (m.event === "board/changed") for (const id of m.payload.storyIds ?? []) seen.set(id, performance.now());
    });
    try {
      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const story = await create(a, `visible ${i}`);
        await waitFor(() => seen.has(story.id), `story ${i} on B`, 10_000, 2);
        latencies.push(seen.get(story.id)! - started);
      }
      latencies.sort((x, y) => x - y);
      const median = latencies[5]!;
      console.info(`edit-to-visible across processes: median ${median.toFixed(1)} ms, max ${latencies[9]!.toFixed(1)} ms`);
      expect(median).toBeLessThan(200);
    } finally {
      events.close();
    }
  });

  it("refuses a node of another workspace (4002), and both sides log it", async () => {
    const a = await serve();
    const other = await serve();
    const [wa, wo] = await Promise.all([apiOf(a).info(), apiOf(other).info()]);
    expect(wo.workspaceId).not.toBe(wa.workspaceId);
    // The desktop app's setting, over the API: dial A from a node of another workspace.
    await apiOf(other).ok("sync/setRendezvous", { urls: [apiOf(a).syncUrl] });
    // The dialling node reads A's hello, sees another workspace and closes before sending anything (4002).
    const code = SyncCloseCode.wrongWorkspace;
    await waitFor(() => other.logs().some((l) => l.msg === "sync: closing link" && l["code"] === code), "the other node refuses A's workspace");
    await waitFor(() => other.logs().some((l) => l.msg === "sync: rendezvous connection failed" && l["code"] === code), "and logs the failed attempt");
    await waitFor(() => a.logs().some((l) => l.msg === "sync: disconnected" && l["code"] === code), "A logs the refused connection");
    // Sent the other way (a client that does send its auth), A itself refuses: see syncHostile.test.ts.
    expect((await apiOf(a).status()).peers).toEqual([]);
    expect((await apiOf(other).status()).rendezvous[0]).toMatchObject({ state: expect.stringMatching(/waiting|connecting/) });
    // The setting persists across a restart, on the node's own data dir.
    await other.stop();
    fleet.forget(other);
    const again = await fleet.track(other.restart());
    expect((await apiOf(again).status()).rendezvous.map((r) => r.url)).toEqual([apiOf(a).syncUrl]);
    await apiOf(again).ok("sync/setRendezvous", { urls: [] });
    expect((await apiOf(again).status()).rendezvous).toEqual([]);
  });

  it("a rendezvous with connected peers stops cleanly on SIGTERM; its peers see 1001 and wait to reconnect", async () => {
    const hub = await serve();
    const b = await serve({ rendezvous: hub });
    await waitFor(async () => (await online(hub)) && (await online(b)), "B live with the hub");
    expect(await hub.stop("SIGTERM")).toBe(0);
    fleet.forget(hub);
    expect(hub.logs().some((l) => l.msg === "stopped")).toBe(true);
    await waitFor(() => b.logs().some((l) => l.msg === "sync: rendezvous link closed; reconnecting" && l["code"] === SyncCloseCode.goingAway), "B told the hub went away");
    expect((await apiOf(b).status()).online).toBe(false);
  });

  it("an empty data dir with --rendezvous but no invite exits non-zero with one line saying how to get an invite, and creates nothing", async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), "musher-it-join-"));
    const r = spawnSync(process.execPath, [CLI, "serve", "--port", "0", "--data", dataDir, "--rendezvous", `ws://127.0.0.1:${port}/sync`], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/ask one of its admins for an invite .*--join INVITE/);
    expect(await readdir(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, "musher.db"))).toBe(false);
  });

  it("bad --rendezvous and --trusted-key values are usage errors (exit 2, one line)", () => {
    for (const [flag, value, expected] of [
      ["--rendezvous", "http://example.com/sync", /--rendezvous "http:\/\/example.com\/sync": a rendezvous address is a ws:\/\/ or wss:\/\/ URL/],
      ["--trusted-key", "ABC", /--trusted-key "ABC": a node key is 64 lowercase hex characters/],
      ["--trusted-key", "A".repeat(64), /a node key is 64 lowercase hex/],
    ] as const) {
      const r = spawnSync(process.execPath, [CLI, "serve", "--port", "0", flag, value], { cwd: ROOT, encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(expected);
    }
  });
});

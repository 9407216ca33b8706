/**
 * The rendezvous dies mid-stream (SIGKILL, no goodbye) while its clients keep
 * editing; it comes back on the same data dir and port; the clients, which
 * were never told anything, back off (1 s doubling), reconnect and converge.
 */
import { afterEach, describe, expect, it } from "vitest";
import { storySchema } from "../../src-shared/Story";
import { apiOf } from "../support/apiOf";
import { converged } from "../support/converged";
import { freePort } from "../support/freePort";
import { startServe, type ServeProcess } from "../support/startServe";
import { serveFleet } from "../support/serveFleet";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
afterEach(() => fleet.stopAll());
const start = fleet.track;

const live = async (p: ServeProcess, peers = 1): Promise<boolean> =>
  (await apiOf(p).status()).peers.filter((x) => x.state === "live").length >= peers;

describe("rendezvous restart", { timeout: 120_000 }, () => {
  it("clients back off while the rendezvous is down and converge when it returns, without intervention", async () => {
    const port = await freePort();
    let hub = await start(startServe({ port }));
    const args = ["--rendezvous", apiOf(hub).syncUrl];
    const [c1, c2] = await Promise.all([start(startServe({ args, invitedBy: hub })), start(startServe({ args, invitedBy: hub }))]);
    await waitFor(async () => (await live(c1)) && (await live(c2)) && (await live(hub, 2)), "both clients live");

    // A stream of edits on c1; the rendezvous is killed in the middle of it.
    const streamed: string[] = [];
    const stream = (async () => {
      for (let i = 0; i < 40; i++) {
        streamed.push((await apiOf(c1).okAs(storySchema, "story/create", { name: `stream ${i}` })).id);
        await new Promise((r) => setTimeout(r, 15)); // pacing, not an assertion
      }
    })();
    await waitFor(async () => (await apiOf(hub).board()).stories.length >= 10, "the hub relaying the stream");
    await hub.stop("SIGKILL");
    fleet.forget(hub);
    // c2 edits while the hub is down, including a story c1 is streaming.
    for (let i = 0; i < 5; i++) await apiOf(c2).okAs(storySchema, "story/create", { name: `c2 offline ${i}` });
    await stream;
    await apiOf(c2).ok("story/retry", { id: streamed[0] });
    await waitFor(
      () => [c1, c2].every((c) => c.logs().some((l) => l.msg === "sync: rendezvous connection failed" && l.level === "warn")),
      "both clients failing to reconnect, at WARN",
    );
    const waiting = await apiOf(c1).status();
    expect(waiting.online).toBe(false);
    expect(waiting.rendezvous[0]!.failures).toBeGreaterThan(0);

    hub = await start(hub.restart());
    expect(hub.port).toBe(port);
    // Backoff: 1 s, 2 s, 4 s, ... so the clients are back within seconds; allow for a loaded machine.
    await waitFor(() => converged([hub, c1, c2]), "hub and clients converged", 60_000);
    const board = await apiOf(hub).board();
    expect(board.stories).toHaveLength(45);
    expect(board.stories.find((s) => s.id === streamed[0])!.retryCount).toBe(1);
    for (const c of [c1, c2]) {
      const s = await apiOf(c).status();
      expect(s).toMatchObject({ online: true, unsent: 0 });
      expect(s.rendezvous[0]).toMatchObject({ state: "connected", failures: 0 });
    }
  });
});

/**
 * Sessions and memcells between two real `musher serve` processes over the
 * real `/sync` WebSocket on loopback: memcells made on A appear on B within
 * 2 s, and a hide on A beats an earlier unhide made on B while B was offline.
 */
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { serveFleet } from "../support/serveFleet";
import { startServe, type ServeProcess } from "../support/startServe";
import { waitFor } from "../support/waitFor";

const T0 = Date.UTC(2025, 0, 6, 9);
const HOUR = 3_600_000;
const fleet = serveFleet();
const dirs = new Set<string>();

afterEach(async () => {
  await fleet.stopAll();
  await Promise.all([...dirs].map((d) => rm(d, { recursive: true, force: true })));
  dirs.clear();
});

async function serve(opts: { dataDir?: string; rendezvous?: ServeProcess } = {}): Promise<ServeProcess> {
  const args = opts.rendezvous ? ["--rendezvous", `ws://127.0.0.1:${opts.rendezvous.port}/sync`] : [];
  // A fresh node joins the rendezvous's workspace by invite.
  const join = opts.rendezvous && !opts.dataDir ? { invitedBy: opts.rendezvous } : {};
  const p = await fleet.track(startServe({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), args, ...join }));
  dirs.add(p.dataDir);
  return p;
}

async function call<T>(p: ServeProcess, method: string, input: unknown): Promise<T> {
  const r = await p.call(method, input);
  if (r.status !== 200) throw new Error(`${method} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

async function stop(p: ServeProcess): Promise<void> {
  await p.stop();
  fleet.forget(p);
}

const heads = async (p: ServeProcess): Promise<string> => JSON.stringify((await call<{ heads: string[] }>(p, "sync/status", {})).heads);
const msg = (content: string, at: number, role = "user") => ({ senderId: "ann", role, timestamp: at, content });

describe("memory replication between processes", () => {
  it("memcells made on A appear on B within 2 s; a hide on A beats an earlier unhide on B", async () => {
    const a = await serve();
    const b = await serve({ rendezvous: a });
    await waitFor(async () => (await call<{ online: boolean }>(b, "sync/status", {})).online, "B connected", 15_000);

    const story = await call<{ id: string }>(a, "story/create", { name: "Login" });
    const session = await call<{ id: string }>(a, "session/create", { title: "pairing", storyId: story.id });
    const added = await call<{ memcellIds: string[] }>(a, "session/addMessages", {
      sessionId: session.id,
      messages: [msg("sketch the login form", T0), msg("looks good", T0 + 60_000, "assistant"), msg("next morning: tests", T0 + 20 * HOUR)],
    });
    expect(added.memcellIds).toHaveLength(1);
    const onA = await call<unknown[]>(a, "session/memcells", { sessionId: session.id });
    const elapsed = await waitFor(
      async () => {
        const r = await b.call("session/memcells", { sessionId: session.id });
        return r.status === 200 && JSON.stringify(r.body) === JSON.stringify(onA);
      },
      "memcells on B",
      2_000,
      10,
    );
    expect(elapsed).toBeLessThanOrEqual(2_000);
    expect(await call(b, "session/list", { storyId: story.id })).toEqual(await call(a, "session/list", { storyId: story.id }));
    expect(await call(b, "session/buffer", { sessionId: session.id })).toEqual(await call(a, "session/buffer", { sessionId: session.id }));

    // Partition: B offline (restarted without a rendezvous) unhides first; A hides later.
    const cellId = added.memcellIds[0]!;
    await call(a, "memcell/hide", { id: cellId });
    await waitFor(async () => (await heads(a)) === (await heads(b)), "hide on B", 5_000);
    await stop(b);
    const bOffline = await serve({ dataDir: b.dataDir });
    const unhidden = await call<{ hidden: boolean }>(bOffline, "memcell/unhide", { id: cellId });
    expect(unhidden.hidden).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect((await call<{ hidden: boolean }>(a, "memcell/hide", { id: cellId })).hidden).toBe(true);
    await stop(bOffline);
    const bBack = await serve({ dataDir: b.dataDir, rendezvous: a });
    await waitFor(async () => (await heads(a)) === (await heads(bBack)), "converged", 15_000);
    for (const p of [a, bBack]) {
      const cells = await call<{ id: string; hidden: boolean }[]>(p, "session/memcells", { sessionId: session.id, includeHidden: true });
      expect(cells.map((c) => [c.id, c.hidden])).toEqual([[cellId, true]]);
      expect(await call(p, "session/memcells", { sessionId: session.id })).toEqual([]);
    }
  }, 60_000);
});

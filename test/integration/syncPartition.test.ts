/**
 * A partition between two real `musher serve` processes: B stops; A and B
 * each edit while apart (B restarted on its data dir without --rendezvous,
 * so it runs alone), including conflicting edits of the same stories; B
 * restarts with --rendezvous on the same data dir → both boards are
 * byte-identical, every retry counts, hide wins over an earlier unhide, and
 * the reconnect costs what was missing, not the history.
 */
import { afterEach, describe, expect, it } from "vitest";
import { storySchema, type Story } from "../../src-shared/Story";
import { apiOf } from "../support/apiOf";
import { converged } from "../support/converged";
import { startServe, type ServeProcess } from "../support/startServe";
import { serveFleet } from "../support/serveFleet";
import { waitFor } from "../support/waitFor";

const HISTORY = 300;
const fleet = serveFleet();
afterEach(() => fleet.stopAll());
const start = fleet.track;

async function stop(p: ServeProcess): Promise<void> {
  expect(await p.stop("SIGTERM")).toBe(0);
  fleet.forget(p);
}

const liveWith = async (p: ServeProcess): Promise<boolean> => (await apiOf(p).status()).peers.some((x) => x.state === "live");

describe("partition and reconnect", { timeout: 120_000 }, () => {
  it("heals a partition: identical boards, retries from both sides, hide wins, O(missing) bytes", async () => {
    const a = await start(startServe());
    const api = apiOf(a);
    const stories: Story[] = [];
    for (let i = 0; i < HISTORY; i++) stories.push(await api.okAs(storySchema, "story/create", { name: `history ${i}` }));
    const [moved, retried, hidden] = stories;

    const rendezvous = ["--rendezvous", api.syncUrl];
    let b = await start(startServe({ args: rendezvous, invitedBy: a }));
    await waitFor(() => converged([a, b]), "B caught up with the history", 60_000);
    // What a full catch-up of this history cost on the wire (B's first connection).
    const fullCatchUp = (await apiOf(b).status()).peers[0]!.bytesIn;
    expect(fullCatchUp).toBeGreaterThan(HISTORY * 150); // a create is ~170 B in change format 2

    // Apart. B runs alone on its data dir (no --rendezvous) so it can take edits.
    await stop(b);
    b = await start(b.restart({ args: [] }));
    expect((await apiOf(b).status()).rendezvous).toEqual([]);
    const onB = apiOf(b);
    // B edits first in wall time: its unhide's clock is earlier than A's hide
    // (several fsynced calls, i.e. several ms, lie between them; HLC walls are ms).
    await onB.ok("story/unhide", { id: hidden!.id });
    await onB.ok("story/move", { id: moved!.id, stage: "4_merge" });
    await onB.ok("story/retry", { id: retried!.id });
    await onB.okAs(storySchema, "story/create", { name: "made on B while apart" });
    await api.ok("story/hide", { id: hidden!.id });
    await api.ok("story/move", { id: moved!.id, stage: "3_qa" });
    await api.ok("story/retry", { id: retried!.id });
    await api.ok("story/retry", { id: retried!.id });
    await api.okAs(storySchema, "story/create", { name: "made on A while apart" });
    const missingOnA = 4;
    const missingOnB = 5;

    // B comes back on the same data dir, dialling A again.
    await stop(b);
    b = await start(b.restart({ args: rendezvous }));
    await waitFor(() => liveWith(b), "B reconnected");
    await waitFor(() => converged([a, b]), "A and B converged after the partition", 60_000);

    const boardA = await api.ok("board/get", { includeHidden: true });
    const boardB = await apiOf(b).ok("board/get", { includeHidden: true });
    expect(JSON.stringify(boardB)).toBe(JSON.stringify(boardA));
    const byId = new Map((await api.board(true)).stories.map((s) => [s.id, s]));
    expect(byId.size).toBe(HISTORY + 2);
    expect(byId.get(retried!.id)!.retryCount).toBe(3); // one from B, two from A: a PN-counter counts all
    expect(byId.get(hidden!.id)!.hidden).toBe(true); // hide wins: the unhide's clock is not greater
    expect(byId.get(moved!.id)!.stage).toBe("3_qa"); // one placement register: the later move, never both
    expect((await api.board(false)).stories.some((s) => s.id === hidden!.id)).toBe(false);

    // O(missing): this connection carried exactly the changes each side lacked, in a few KB.
    const link = (await apiOf(b).status()).peers[0]!;
    expect(link.changesIn).toBe(missingOnB);
    expect(link.changesOut).toBe(missingOnA);
    const reconnect = link.bytesIn + link.bytesOut;
    console.info(`partition heal: ${reconnect} bytes on reconnect vs ${fullCatchUp} for the full catch-up of ${HISTORY} stories`);
    expect(reconnect).toBeLessThan(fullCatchUp / 10);
    expect(reconnect).toBeLessThan(16 * 1024);
    const statusA = await api.status();
    expect(statusA.peers).toHaveLength(1);
    expect(statusA.peers[0]!.changesIn).toBe(missingOnA);
  });
});

/**
 * Attack 7c of issue 10 on a real `musher serve`: a peer inflates the board
 * with maximal changes (each just under the change cap, full of creates
 * with 500-char names and 200-char agents). Each change is valid and stays
 * within the per-change budgets (docs/ARCHITECTURE.md, "Budgets per
 * change"), so it is applied — the cost is linear in what the peer sent —
 * but the node must stay responsive and writable, and `board/get` must
 * keep answering (it is served from a view patched per change, not by
 * re-folding every record). Scaled to 20 changes (~25,000 stories) to keep
 * the suite's time; `npm run bench inflatedBoard` measures 60.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOf } from "../support/apiOf";
import { memberPeer } from "../support/memberPeer";
import type { WireChange } from "../support/protocolPeer";
import { serveFleet } from "../support/serveFleet";
import { startServe, type ServeProcess } from "../support/startServe";
import { stillHealthy, timedInfo } from "../support/stillHealthy";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
let node: ServeProcess;
const CHANGES = 20;
const CHANGE_CAP = 1024 * 1024 - 16 * 1024;

beforeAll(async () => {
  node = await fleet.track(startServe());
  await apiOf(node).ok("story/create", { name: "before the flood" });
});
afterAll(() => fleet.stopAll());

describe("a peer inflating the board", { timeout: 180_000 }, () => {
  it("is applied linearly; the node keeps answering within 1 s, writes, serves board/get, and a fresh device converges", async () => {
    const from = node.stderr.length;
    const { peer, join } = await memberPeer(node); // a member gone bad
    const changes: WireChange[] = [];
    let deps = [join.id];
    let n = 0;
    for (let c = 0; c < CHANGES; c++) {
      const ops: Record<string, unknown>[] = [];
      const make = () => peer.makeChange({ seq: c + 2, deps, ops });
      for (;;) {
        ops.push({ t: "create", story: `flood-${n++}`, name: "N".repeat(500), stage: "1_backlog", rank: "a0", agent: "A".repeat(200) });
        // Checked every 100 ops (~75 KB of creates): stop within 100 KB of the cap, never over it.
        if (ops.length % 100 === 0 && make().bytes.length > CHANGE_CAP - 100_000) break;
      }
      const change = make();
      changes.push(change);
      deps = [change.id];
    }
    for (const change of changes) peer.sendChanges([change]);
    const slowest: number[] = [];
    const last = changes[changes.length - 1]!.id;
    await waitFor(async () => {
      slowest.push(await timedInfo(node));
      return (await apiOf(node).status()).heads.includes(last);
    }, "every inflating change applied", 120_000);
    peer.close();
    expect(Math.max(...slowest)).toBeLessThan(1_000);
    const board = await apiOf(node).board();
    expect(board.stories.length).toBe(n + 1);
    // While board/get serializes that board, the node still answers (its cost is bench/inflatedBoard.ts's).
    const reading = apiOf(node).board();
    expect(await timedInfo(node)).toBeLessThan(1_000);
    await reading;
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
  });
});

/**
 * What every attack test asserts afterwards (issue 10): the node answers
 * `node/info` within 1 s, a local write still succeeds, a freshly joined
 * device (a new `musher serve --join` by the node's invite) converges with it, and the
 * attack added at most `maxLogLines` lines to its stderr.
 */
import { expect } from "vitest";
import { storySchema } from "../../src-shared/Story";
import { apiOf } from "./apiOf";
import { converged } from "./converged";
import type { ServeFleet } from "./serveFleet";
import { startServe, type ServeProcess } from "./startServe";
import { waitFor } from "./waitFor";

export async function timedInfo(node: ServeProcess): Promise<number> {
  const started = performance.now();
  await apiOf(node).info();
  return performance.now() - started;
}

export async function stillHealthy(node: ServeProcess, fleet: ServeFleet, opts: { logFrom: number; maxLogLines: number; join?: boolean }): Promise<void> {
  expect(await timedInfo(node)).toBeLessThan(1_000);
  await apiOf(node).okAs(storySchema, "story/create", { name: `written after the attack ${Date.now()}` });
  expect(node.stderr.length - opts.logFrom).toBeLessThanOrEqual(opts.maxLogLines);
  if (opts.join === false) return;
  const fresh = await fleet.track(startServe({ args: ["--rendezvous", apiOf(node).syncUrl], invitedBy: node }));
  // The give-up point, not a speed limit (speed is measured in bench/): after the
  // 4,000-change attack a fresh device replays ~5,000 changes, 7 s on a quiet
  // machine and past 20 s when CI's other test worker shares the two cores.
  await waitFor(() => converged([node, fresh]), "a freshly joined device converged", 90_000);
  await fresh.stop();
  fleet.forget(fresh);
}

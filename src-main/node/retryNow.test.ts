/**
 * "Retry now" on a rendezvous that is backing off: the node dials at once
 * instead of waiting out the delay; on a link that is not waiting it does
 * nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SyncStatus } from "../../src-shared/syncMethods";
import { recordingLogger } from "../../test/support/crdt/testKit";
import { waitFor } from "../../test/support/waitFor";
import { createNode, type MusherNode } from "./createNode";

const open: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

// Nothing listens on port 1: every attempt fails fast.
const U1 = "ws://127.0.0.1:1/sync";

async function status(n: MusherNode, method = "sync/status", input: unknown = {}): Promise<SyncStatus> {
  const r = await n.dispatch(method, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as SyncStatus;
}

async function until(n: MusherNode, ok: (s: SyncStatus) => boolean, ms: number): Promise<SyncStatus> {
  let last: SyncStatus | undefined;
  await waitFor(async () => ok((last = await status(n))), "the rendezvous state", ms, 20);
  return last!;
}

describe("sync/retryNow", { timeout: 20_000 }, () => {
  it("dials a backing-off rendezvous at once", async () => {
    const n = await createNode({ dataDir: null, host: "embedded", log: recordingLogger(), rendezvous: [U1] });
    open.push(n);
    // Two failures: the next attempt is due ~2 s later.
    const waiting = await until(n, (s) => s.rendezvous[0]!.state === "waiting" && s.rendezvous[0]!.failures >= 2, 10_000);
    const failures = waiting.rendezvous[0]!.failures;
    const due = waiting.rendezvous[0]!.nextAttemptAt!;
    await status(n, "sync/retryNow", { url: U1 });
    const after = await until(n, (s) => s.rendezvous[0]!.failures > failures, 1_000);
    expect(Date.now()).toBeLessThan(due);
    expect(after.rendezvous[0]!.failures).toBe(failures + 1);
    // An unknown address changes nothing.
    expect((await status(n, "sync/retryNow", { url: "ws://127.0.0.1:1/other" })).rendezvous).toHaveLength(1);
  });
});

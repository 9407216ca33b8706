/**
 * A profiling harness, not a benchmark (it lives in bench/support so
 * scripts/bench.js does not run it): a real node on a temp data dir takes in
 * the 50,000-change bench history, and the V8 CPU profile of exactly that
 * phase is written to `<out>.cpuprofile` with a table of self time per
 * function printed (see summarizeProfile).
 *
 *   node --import tsx bench/support/profileIngest.ts ingest [--no-verify] [--total N]
 *   node --import tsx bench/support/profileIngest.ts sync   [--no-verify] [--total N]
 *
 * `ingest`: `node.ingest(history)` on a fresh node (the import path).
 * `sync`: a fresh node dials a node holding the history (filled first, not
 * profiled) over loopback WebSockets; profiled until both hold equal heads
 * (both sides run in this process, as in bench/syncReconnect.ts).
 * `--no-verify` replaces the replicas' signature check by `true` IN THIS
 * SCRIPT ONLY, to see what the rest of the path costs.
 */
import { Session } from "node:inspector/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src-main/base/Logger";
import { createNode, type MusherNode } from "../../src-main/node/createNode";
import type { Replica } from "../../src-main/crdt/Replica";
import type { Identity } from "../../src-main/crdt/Identity";
import { openNodeStore } from "../../src-main/store/openNodeStore";
import { SyncService } from "../../src-main/sync/SyncService";
import { BENCH_WORKSPACE, generateHistory } from "./generateHistory";
import { summarizeProfile, type CpuProfile } from "./summarizeProfile";
import { waitFor } from "../../test/support/waitFor";

const args = process.argv.slice(2);
const mode = args[0] === "sync" ? "sync" : "ingest";
const noVerify = args.includes("--no-verify");
const totalAt = args.indexOf("--total");
const TOTAL = totalAt >= 0 ? Number(args[totalAt + 1]) : 50_000;

const open = (dataDir: string): Promise<MusherNode> => createNode({ dataDir, host: "embedded", log: silentLogger, workspaceId: BENCH_WORKSPACE });

/** The node's own identity (a sync service must speak as its replica's author), read from its data dir before it opens. */
function identityIn(dataDir: string): Identity {
  const store = openNodeStore({ dataDir, workspaceId: BENCH_WORKSPACE });
  const { identity } = store;
  store.close();
  return identity;
}

function skipVerify(replica: Replica): void {
  // Profile-only: the signature check is another engineer's part; this shows the rest.
  (replica as unknown as { verifier: { verify: () => boolean } }).verifier = { verify: () => true };
}

const equalHeads = (x: Replica, y: Replica): boolean => JSON.stringify(x.heads().sort()) === JSON.stringify(y.heads().sort());

async function main(): Promise<void> {
  const log = generateHistory(TOTAL);
  const dirs = [await mkdtemp(join(tmpdir(), "musher-prof-")), await mkdtemp(join(tmpdir(), "musher-prof-"))];
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  try {
    let ms: number;
    if (mode === "ingest") {
      const node = await open(dirs[0]!);
      if (noVerify) skipVerify(node.replica);
      await session.post("Profiler.start");
      const start = performance.now();
      const report = await node.ingest(log);
      ms = performance.now() - start;
      if (report.applied !== log.length) throw new Error(`applied ${report.applied} of ${log.length}`);
      await node.close();
    } else {
      const ids = dirs.map(identityIn);
      const full = await open(dirs[0]!);
      await full.ingest(log);
      const fresh = await open(dirs[1]!);
      if (noVerify) skipVerify(fresh.replica);
      // Sync services of their own on the nodes' replicas, without the membership
      // admission (the bench workspace has no members), as bench/syncReconnect.ts.
      const [up, down] = [full, fresh].map((n, i) => new SyncService({ replica: n.replica, identity: ids[i]!, log: silentLogger }));
      const server = createServer();
      server.on("upgrade", up!.handleUpgrade);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      await session.post("Profiler.start");
      const start = performance.now();
      down!.connect(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`);
      await waitFor(() => equalHeads(full.replica, fresh.replica), "catch-up", 600_000, 5);
      ms = performance.now() - start;
      await down!.close();
      await up!.close();
      await full.close();
      await fresh.close();
      server.close();
    }
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    const out = join(tmpdir(), `musher-${mode}${noVerify ? "-noverify" : ""}.cpuprofile`);
    await writeFile(out, JSON.stringify(profile));
    console.log(`${mode}${noVerify ? " (no verify)" : ""}: ${log.length} changes in ${(ms / 1000).toFixed(2)} s = ${Math.round(log.length / (ms / 1000))}/s; profile ${out}`);
    console.log(summarizeProfile(profile, 40));
  } finally {
    session.disconnect();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

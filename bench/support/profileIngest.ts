/**
 * A profiling harness, not a benchmark (it lives in bench/support so
 * scripts/bench.js does not run it): a real node on a temp data dir takes in
 * the 50,000-change bench history, and the V8 CPU profile of exactly that
 * phase is written to `<out>.cpuprofile` with a table of self time per
 * function printed (see summarizeProfile).
 *
 *   node --import tsx bench/support/profileIngest.ts ingest [--no-verify] [--total N]
 *   node --import tsx bench/support/profileIngest.ts sync   [--no-verify] [--total N]
 *   ... [--history FILE] (reuse a saved history) [--no-profile] (timing only, for A/B runs)
 *       [--renderer] (a window's board store refetching on every board/changed, see attachRenderer)
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
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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
const historyAt = args.indexOf("--history");
const HISTORY = historyAt >= 0 ? args[historyAt + 1]! : null;
const profiling = !args.includes("--no-profile");
const withRenderer = args.includes("--renderer");

/**
 * A renderer's board store on the node being filled (`--renderer`): on every
 * `board/changed` it refetches `board/get`, one fetch in flight plus one
 * queued (useBoardStore's coalescing), as an open window does during a
 * catch-up. Returns a reader of how many fetches ran.
 */
function attachRenderer(node: MusherNode): () => number {
  let fetches = 0;
  let running: Promise<void> | null = null;
  let queued = false;
  const fetch = async (): Promise<void> => {
    fetches++;
    const r = await node.call("board/get", { includeHidden: false });
    if (!r.ok && r.error.code !== "unavailable") throw new Error(r.error.message); // unavailable: the node closed
  };
  const request = (): void => {
    if (running) return void (queued = true);
    running = fetch().finally(() => {
      running = null;
      if (queued) {
        queued = false;
        request();
      }
    });
  };
  node.subscribe((m) => m.event === "board/changed" && request());
  return () => fetches;
}

/** The bench history, generated, or read from / saved to `file` (length-prefixed changes) so A/B runs skip generating. */
async function history(total: number, file: string | null): Promise<Uint8Array[]> {
  if (file !== null && existsSync(file)) {
    const buf = await readFile(file);
    const out: Uint8Array[] = [];
    for (let at = 0; at < buf.length && out.length < total; ) {
      const n = buf.readUInt32LE(at);
      out.push(new Uint8Array(buf.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
    return out;
  }
  const log = generateHistory(total);
  if (file !== null) {
    await writeFile(file, Buffer.concat(log.flatMap((c) => { const len = Buffer.alloc(4); len.writeUInt32LE(c.length); return [len, c]; })));
  }
  return log;
}

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

/** Counts the replica's receive transactions (one commit each) and their sizes. */
function countBatches(replica: Replica): () => string {
  const sizes: number[] = [];
  const original = replica.receiveBatch.bind(replica);
  replica.receiveBatch = (inputs, options) => {
    sizes.push(inputs.length);
    return original(inputs, options);
  };
  return () => `${sizes.length} receive transactions, mean ${(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length)).toFixed(1)} changes`;
}

const equalHeads = (x: Replica, y: Replica): boolean => JSON.stringify(x.heads().sort()) === JSON.stringify(y.heads().sort());

async function main(): Promise<void> {
  const log = await history(TOTAL, HISTORY);
  const dirs = [await mkdtemp(join(tmpdir(), "musher-prof-")), await mkdtemp(join(tmpdir(), "musher-prof-"))];
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  try {
    let ms: number;
    // CPU time too: on a shared machine wall time mostly measures the neighbours.
    let cpu0 = process.cpuUsage();
    let cpu = cpu0;
    let batches = (): string => "";
    if (mode === "ingest") {
      const node = await open(dirs[0]!);
      if (noVerify) skipVerify(node.replica);
      batches = countBatches(node.replica);
      if (withRenderer) {
        const fetches = attachRenderer(node);
        const count = batches;
        batches = () => `${count()}; ${fetches()} board fetches`;
      }
      if (profiling) await session.post("Profiler.start");
      cpu0 = process.cpuUsage();
      const start = performance.now();
      const report = await node.ingest(log);
      ms = performance.now() - start;
      cpu = process.cpuUsage(cpu0);
      if (report.applied !== log.length) throw new Error(`applied ${report.applied} of ${log.length}`);
      await node.close();
    } else {
      const ids = dirs.map(identityIn);
      const full = await open(dirs[0]!);
      await full.ingest(log);
      const fresh = await open(dirs[1]!);
      if (noVerify) skipVerify(fresh.replica);
      batches = countBatches(fresh.replica);
      if (withRenderer) {
        const fetches = attachRenderer(fresh);
        const count = batches;
        batches = () => `${count()}; ${fetches()} board fetches`;
      }
      // Sync services of their own on the nodes' replicas, without the membership
      // admission (the bench workspace has no members), as bench/syncReconnect.ts.
      const [up, down] = [full, fresh].map((n, i) => new SyncService({ replica: n.replica, identity: ids[i]!, log: silentLogger }));
      const server = createServer();
      server.on("upgrade", up!.handleUpgrade);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      if (profiling) await session.post("Profiler.start");
      cpu0 = process.cpuUsage();
      const start = performance.now();
      down!.connect(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`);
      await waitFor(() => equalHeads(full.replica, fresh.replica), "catch-up", 600_000, 5);
      ms = performance.now() - start;
      cpu = process.cpuUsage(cpu0);
      await down!.close();
      await up!.close();
      await full.close();
      await fresh.close();
      server.close();
    }
    const rate = `${log.length} changes in ${(ms / 1000).toFixed(2)} s = ${Math.round(log.length / (ms / 1000))}/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; ${batches()}`;
    if (!profiling) return console.log(`${mode}${noVerify ? " (no verify)" : ""}: ${rate}`);
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    const out = join(tmpdir(), `musher-${mode}${noVerify ? "-noverify" : ""}.cpuprofile`);
    await writeFile(out, JSON.stringify(profile));
    console.log(`${mode}${noVerify ? " (no verify)" : ""}: ${rate}; profile ${out}`);
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

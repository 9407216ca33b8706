/**
 * Storage benchmark over a workspace of 50,000 changes (about 5,000
 * stories), persisted in SQLite:
 * - store-open: time from opening the data dir to `board/get` answered,
 *   against a full replay of the same log into a fresh in-memory replica
 *   (what opening would cost without materialized state). Goal: ratio ≤ 0.1.
 * - store-ingest: the 50,000 changes received through `node.ingest` (chunked
 *   transactions, fsync per chunk), as changes/s and as a ratio to the raw
 *   native Ed25519 verify rate (goal ≥ 0.4); the longest event-loop block
 *   during it (goal ≤ ~50 ms); database bytes per change.
 * - store-local-edit: one story/create through the API, committed (and
 *   fsynced: synchronous = FULL) before it returns, on the 50,000-change db.
 *
 * Run: npm run bench storeOpen   (ends with one JSON line per benchmark)
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";
import { BENCH_WORKSPACE, generateHistory, makeBenchNode } from "./support/generateHistory";
import { nativeVerifyRate } from "./support/nativeVerifyRate";
import { blockProbe } from "./support/blockProbe";

const TOTAL = 50_000;
const open = (dataDir: string) => createNode({ dataDir, host: "embedded", log: silentLogger, workspaceId: BENCH_WORKSPACE });

async function ingest(dir: string, log: Uint8Array[]) {
  const node = await open(dir);
  const stop = blockProbe();
  const start = performance.now();
  const report = await node.ingest(log);
  const seconds = (performance.now() - start) / 1000;
  const maxBlockMs = stop();
  if (report.applied !== log.length) throw new Error(`ingest applied ${report.applied} of ${log.length}`);
  const stories = node.replica.stories().length;
  await node.close(); // checkpoints the WAL into the main file
  const bytes = (await stat(join(dir, "musher.db"))).size;
  return { seconds, maxBlockMs, stories, bytes };
}

async function openToBoard(dir: string): Promise<number> {
  const start = performance.now();
  const node = await open(dir);
  const board = await node.call("board/get", { includeHidden: true });
  const ms = performance.now() - start;
  if (!board.ok) throw new Error(board.error.message);
  await node.close();
  return ms;
}

async function localEdits(dir: string, n: number): Promise<number> {
  const node = await open(dir);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await node.call("story/create", { name: `local ${i}` });
    if (!r.ok) throw new Error(r.error.message);
  }
  const ms = (performance.now() - start) / n;
  await node.close();
  return ms;
}

function replayToBoard(log: Uint8Array[]): number {
  const start = performance.now();
  const { replica, board } = makeBenchNode(9);
  for (let i = 0; i < log.length; i += 1_000) replica.receiveBatch(log.slice(i, i + 1_000));
  board.board({ includeHidden: true });
  return performance.now() - start;
}

const t0 = performance.now();
const log = generateHistory(TOTAL);
console.log(`generated ${log.length} changes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const nativeRate = nativeVerifyRate(log);
const dir = await mkdtemp(join(tmpdir(), "musher-bench-"));
try {
  const ing = await ingest(dir, log);
  const changesPerSec = log.length / ing.seconds;
  const ingestRatio = changesPerSec / nativeRate;
  const bytesPerChange = ing.bytes / log.length;
  console.log(`native Ed25519 verify: ${nativeRate.toFixed(0)} /s`);
  console.log(`ingest with persistence: ${log.length} changes in ${ing.seconds.toFixed(2)} s = ${changesPerSec.toFixed(0)} changes/s (ratio to native verify ${ingestRatio.toFixed(2)}); longest event-loop block ${ing.maxBlockMs.toFixed(1)} ms`);
  console.log(`database: ${(ing.bytes / 1e6).toFixed(1)} MB for ${log.length} changes and ${ing.stories} stories = ${bytesPerChange.toFixed(0)} bytes/change`);
  const opens = [await openToBoard(dir), await openToBoard(dir), await openToBoard(dir)];
  const openMs = opens[0]!;
  const editMs = await localEdits(dir, 300);
  console.log(`local edit (story/create via the API, committed with fsync): ${editMs.toFixed(2)} ms`);
  const replayMs = replayToBoard(log);
  const openRatio = openMs / replayMs;
  console.log(`open → board/get: ${opens.map((ms) => ms.toFixed(1)).join(", ")} ms; full replay → board: ${replayMs.toFixed(0)} ms (ratio ${openRatio.toFixed(3)})`);
  console.log(JSON.stringify({ bench: "store-open", changes: log.length, stories: ing.stories, openMs: Number(openMs.toFixed(1)), warmOpenMs: Number(Math.min(...opens).toFixed(1)), replayMs: Math.round(replayMs), ratio: Number(openRatio.toFixed(4)) }));
  console.log(JSON.stringify({ bench: "store-ingest", changes: log.length, changesPerSec: Math.round(changesPerSec), nativeVerifyPerSec: Math.round(nativeRate), ratio: Number(ingestRatio.toFixed(3)), maxBlockMs: Number(ing.maxBlockMs.toFixed(1)), bytesPerChange: Math.round(bytesPerChange) }));
  console.log(JSON.stringify({ bench: "store-local-edit", msPerEdit: Number(editMs.toFixed(3)), editsPerSec: Math.round(1000 / editMs) }));
} finally {
  await rm(dir, { recursive: true, force: true });
}

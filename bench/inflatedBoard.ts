/**
 * A board a peer inflated (issue "Byzantine hardening", attack 7): 60
 * maximal changes (each just under the 1 MiB change cap, full of creates
 * with 500-char names and 200-char agents) make ~75,000 stories. Measured on
 * a node with a real SQLite data dir: ingest, database size, and
 * `board/get` (first read, which builds the board view, and later reads)
 * plus the JSON the HTTP host would serialize. Baseline in the same run: an
 * honest 5,000-story board's `board/get`.
 *
 * Run: npx tsx bench/inflatedBoard.ts   (ends with one JSON line)
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHANGE_VERSION, type Op } from "../src-main/crdt/Change";
import { MAX_CHANGE_BYTES, signChange } from "../src-main/crdt/changeCodec";
import { identityFromSeed } from "../src-main/crdt/Identity";
import { createNode, type MusherNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";

const CHANGES = 60;

async function timedBoard(node: MusherNode): Promise<{ ms: number; jsonMs: number; bytes: number }> {
  const started = performance.now();
  const r = await node.call("board/get", {});
  const got = performance.now();
  const json = JSON.stringify(r);
  return { ms: got - started, jsonMs: performance.now() - got, bytes: json.length };
}

function dbBytes(dir: string): number {
  const size = (f: string): number => statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0;
  return size("musher.db") + size("musher.db-wal");
}

async function inflated(): Promise<{ stories: number; ingestMs: number; sentBytes: number; dbBytes: number; first: number; later: number; jsonMs: number; boardBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "musher-bench-inflate-"));
  const node = await createNode({ dataDir: dir, host: "serve", log: silentLogger });
  try {
    const evil = identityFromSeed(new Uint8Array(32).fill(0x55));
    const changes: Uint8Array[] = [];
    let deps = node.replica.heads();
    let n = 0;
    for (let c = 0; c < CHANGES; c++) {
      const ops: Op[] = [];
      const sign = () => signChange({ v: CHANGE_VERSION, workspace: node.info.workspaceId, author: evil.publicKey, seq: c + 1, deps, clock: { wall: 1, logical: 0 }, ops }, evil);
      for (;;) {
        ops.push({ t: "create", story: `x${n++}`, name: "N".repeat(500), stage: "1_backlog", rank: "a0", agent: "A".repeat(200) });
        if (ops.length % 50 === 0 && sign().bytes.length > MAX_CHANGE_BYTES - 60_000) break;
      }
      const signed = sign();
      changes.push(signed.bytes);
      deps = [signed.id];
    }
    const started = performance.now();
    const report = await node.ingest(changes);
    const ingestMs = performance.now() - started;
    if (report.applied !== CHANGES) throw new Error(`applied ${report.applied}`);
    const first = await timedBoard(node);
    const laters = [await timedBoard(node), await timedBoard(node), await timedBoard(node)];
    const later = laters.map((x) => x.ms).sort((a, b) => a - b)[1]!;
    const jsonMs = laters.map((x) => x.jsonMs).sort((a, b) => a - b)[1]!;
    return { stories: n, ingestMs, sentBytes: changes.reduce((s, c) => s + c.length, 0), dbBytes: dbBytes(dir), first: first.ms, later, jsonMs, boardBytes: first.bytes };
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function honest(): Promise<{ later: number }> {
  const dir = mkdtempSync(join(tmpdir(), "musher-bench-honest-"));
  const node = await createNode({ dataDir: dir, host: "serve", log: silentLogger });
  try {
    for (let i = 0; i < 5_000; i++) await node.call("story/create", { name: `story ${i}`, stage: "1_backlog" });
    await timedBoard(node);
    const laters = [await timedBoard(node), await timedBoard(node), await timedBoard(node)];
    return { later: laters.map((x) => x.ms).sort((a, b) => a - b)[1]! };
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = await honest();
const evil = await inflated();
console.log(`honest 5,000-story board/get: ${base.later.toFixed(1)} ms`);
console.log(`inflated: ${evil.stories} stories from ${CHANGES} changes (${(evil.sentBytes / 1e6).toFixed(1)} MB sent) → ${(evil.dbBytes / 1e6).toFixed(0)} MB on disk; ingest ${evil.ingestMs.toFixed(0)} ms`);
console.log(`inflated board/get: first ${evil.first.toFixed(0)} ms, then ${evil.later.toFixed(1)} ms; JSON of ${(evil.boardBytes / 1e6).toFixed(0)} MB: ${evil.jsonMs.toFixed(0)} ms`);
console.log(
  JSON.stringify({
    bench: "inflated-board",
    changes: CHANGES,
    stories: evil.stories,
    sentBytes: evil.sentBytes,
    dbBytes: evil.dbBytes,
    boardGetFirstMs: Number(evil.first.toFixed(1)),
    boardGetMs: Number(evil.later.toFixed(1)),
    jsonMs: Number(evil.jsonMs.toFixed(1)),
    honest5kBoardGetMs: Number(base.later.toFixed(1)),
    ratio: Number((evil.later / base.later).toFixed(2)),
  }),
);

/**
 * A fresh device joining a busy workspace (issue 14): 50,000 changes by 8
 * authors, served by a node in a child process over a real WebSocket on
 * 127.0.0.1; the device, in a child process of its own (`joinDevice`: as
 * a new laptop, its code cold and its heap holding nothing of the seeding
 * done here), starts on an empty data dir (real SQLite) and joins with an
 * invite naming the server (`benchInvite`: one more change by the
 * workspace's admin, over the history), and the clock
 * runs until its database file holds every head of the server and every
 * story row is written (another connection sees the heads, and no
 * `STORIES_LAG_KEY` mark); `appliedMs` is when the device held every head
 * in memory (polled every 20 ms), the rest is its tail. Compared, in the
 * same run, with:
 * (a) node:crypto verifying every one of the 50,000 signatures, one by one
 *     (goal: converge in ≤ 0.5× that);
 * (b) Automerge (`@automerge/automerge`) loading a saved document holding
 *     the same stories and updates, one Automerge change per change (goal:
 *     faster than that load).
 * Also the device's CPU time over the same window against the verify-all
 * run's (`cpuRatioToVerifyAll`: what the wall-clock ratio is when the
 * machine is not shared; not a goal), and the server's (`serverCpuMs`, from
 * ready to stop: serving competes with the device for this machine's two
 * cores). Also: bytes per change on the wire (everything the server wrote to its
 * sync sockets, upgrade and handshake included, counted in the child;
 * goal ≤ 200) and on disk (the
 * device's database after close; goal ≤ 400), the longest event-loop block
 * on the device (goal ≤ 50 ms), the signatures it checked, and whether its
 * progress bar counted every change it received.
 *
 * The generated history and the Automerge document are cached in the OS
 * temp dir (building them takes minutes; neither is what is measured).
 *
 * Run: npm run bench syncFreshDevice   (ends with one JSON line)
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import * as Automerge from "@automerge/automerge";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";
import { automergeBaseline } from "./support/automergeBaseline";
import { benchInvite } from "./support/benchInvite";
import type { JoinReport } from "./support/joinDevice";
import { nativeVerifyMs } from "./support/nativeVerifyRate";
import { BENCH_WORKSPACE, generateTeamHistory } from "./support/generateTeamHistory";

const TOTAL = 50_000;

/** CPU time (user + system, every thread of this process) since `from`, in ms. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

const AUTHORS = 8;
const ROOT = join(import.meta.dirname, "..");

/** Length-prefixed blobs in one file. */
function packBlobs(blobs: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const b of blobs) {
    const h = Buffer.alloc(4);
    h.writeUInt32BE(b.length);
    parts.push(h, Buffer.from(b));
  }
  return Buffer.concat(parts);
}
function unpackBlobs(buf: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < buf.length; ) {
    const n = buf.readUInt32BE(o);
    out.push(Uint8Array.from(buf.subarray(o + 4, o + 4 + n)));
    o += 4 + n;
  }
  return out;
}

/** The history (and its Automerge twin), from the cache when a previous run made it with the same change format. */
function history(): { log: Uint8Array[]; automergeDoc: Uint8Array } {
  const probe = generateTeamHistory(AUTHORS * 2, AUTHORS);
  const tag = `${TOTAL}-${AUTHORS}-f${probe[0]![0]}`;
  const logFile = join(tmpdir(), `musher-bench-fresh-${tag}.log`);
  const amFile = join(tmpdir(), `musher-bench-fresh-${tag}.automerge`);
  if (existsSync(logFile) && existsSync(amFile)) {
    console.log(`history and Automerge document from the cache (${logFile})`);
    return { log: unpackBlobs(readFileSync(logFile)), automergeDoc: Uint8Array.from(readFileSync(amFile)) };
  }
  const t0 = performance.now();
  const log = generateTeamHistory(TOTAL, AUTHORS);
  console.log(`generated ${log.length} changes by ${AUTHORS} authors in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const automergeDoc = automergeBaseline(log);
  console.log(`built the Automerge document in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  writeFileSync(logFile, packBlobs(log));
  writeFileSync(amFile, automergeDoc);
  return { log, automergeDoc };
}

/** (a): every signature verified natively, one by one (keys prepared and bodies decoded outside the clock). */
const verifyEverything = (log: readonly Uint8Array[]): number => nativeVerifyMs(log, BENCH_WORKSPACE);

/** (b): Automerge opening the same board. */
function automergeLoad(doc: Uint8Array): { ms: number; stories: number } {
  const start = performance.now();
  const loaded = Automerge.load<{ s: Record<string, Record<string, unknown>> }>(doc);
  let stories = 0;
  for (const bucket of Object.values(loaded.s)) stories += Object.keys(bucket).length;
  return { ms: performance.now() - start, stories };
}

/** The history's authors (`generateTeamHistory`: `makeBenchNode(20 + k)`), one of them the workspace's admin. */
const AUTHOR_SEEDS = Array.from({ length: AUTHORS }, (_, k) => 0x10 + 20 + k);

async function seedServer(history: Uint8Array[]): Promise<{ dir: string; heads: string[]; stories: number; invite: (addresses: string[]) => string }> {
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-src-"));
  const node = await createNode({ dataDir: dir, workspaceId: BENCH_WORKSPACE, host: "embedded", log: silentLogger });
  const invite = benchInvite(history, AUTHOR_SEEDS, node.info.nodeId);
  const log = [...history, invite.change];
  const report = await node.ingest(log);
  if (report.applied !== log.length) throw new Error(`seeding applied ${report.applied} of ${log.length}`);
  const heads = node.replica.heads().sort();
  const stories = node.replica.stories().length;
  await node.close();
  return { dir, heads, stories, invite: invite.line };
}

async function startServer(dir: string): Promise<{ url: string; stop(): Promise<{ bytesOut: number; cpuMs: number }> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/support/serveDataDir.ts"), dir, BENCH_WORKSPACE], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    });
  const url = await next();
  return {
    url,
    stop: async () => {
      const report = next();
      child.stdin!.end();
      return JSON.parse(await report) as { bytesOut: number; cpuMs: number };
    },
  };
}

/** The joining device, in a child process of its own (see `support/joinDevice.ts`). */
async function joinDevice(dir: string, invite: string, headsFile: string): Promise<JoinReport> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/support/joinDevice.ts"), dir, invite, headsFile], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the fresh device exited (${code})`);
  return JSON.parse(out.trim().split("\n").pop()!) as JoinReport;
}

async function main(): Promise<void> {
  const { log, automergeDoc } = history();
  const wireFormatBytes = log.reduce((n, c) => n + c.length, 0);
  const verifyCpu = process.cpuUsage();
  const verifyAllMs = verifyEverything(log);
  const verifyAllCpuMs = cpuMsSince(verifyCpu);
  console.log(`verify every signature (node:crypto): ${verifyAllMs.toFixed(0)} ms`);
  const am = automergeLoad(automergeDoc);
  console.log(`Automerge load (${automergeDoc.length} bytes, ${am.stories} stories): ${am.ms.toFixed(0)} ms`);

  const src = await seedServer(log);
  const served = log.length + 1; // the history and the admin's invite
  const server = await startServer(src.dir);
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-fresh-"));
  const headsFile = join(dir, "..", `${basename(dir)}-heads.json`);
  writeFileSync(headsFile, JSON.stringify(src.heads));
  const device = await joinDevice(dir, src.invite([server.url]), headsFile);
  await rm(headsFile, { force: true });
  const { convergeMs, appliedMs, cpuMs: deviceCpuMs, maxBlockMs, signaturesChecked: checked, stories, progress } = device;
  const { bytesOut: wireBytes, cpuMs: serverCpuMs } = await server.stop();
  // The file and whatever WAL the close left (none, unless its last checkpoint was busy: the file alone would then flatter the figure).
  const diskBytes = (await stat(join(dir, "musher.db"))).size + ((await stat(join(dir, "musher.db-wal")).catch(() => null))?.size ?? 0);
  await rm(dir, { recursive: true, force: true });
  await rm(src.dir, { recursive: true, force: true });
  if (stories !== src.stories) throw new Error(`fresh device has ${stories} stories, the server ${src.stories}`);

  // Honest progress: never more received than announced, and the announced total is the history (on every link's catch-up).
  const restarts = progress.filter((p, i) => i > 0 && p.received < progress[i - 1]!.received).length;
  const honest = progress.length > 0 && progress.every((p) => p.received <= p.expected && p.expected <= served);
  const ratio = convergeMs / verifyAllMs;
  const perChangeDisk = diskBytes / served;
  const perChangeWire = wireBytes / served;
  console.log(`fresh device: ${served} changes in ${convergeMs.toFixed(0)} ms (${(served / (convergeMs / 1000)).toFixed(0)} /s), ${checked} signatures checked`);
  console.log(`  applied in ${appliedMs.toFixed(0)} ms, then ${(convergeMs - appliedMs).toFixed(0)} ms to commit and write story rows`);
  console.log(`  ${ratio.toFixed(2)}x verify-every-signature, ${(convergeMs / am.ms).toFixed(2)}x Automerge load; CPU: device ${deviceCpuMs.toFixed(0)} ms, server ${serverCpuMs} ms`);
  console.log(`  wire ${perChangeWire.toFixed(0)} B/change (changes alone ${(wireFormatBytes / log.length).toFixed(0)}), disk ${perChangeDisk.toFixed(0)} B/change, longest block ${maxBlockMs.toFixed(1)} ms`);
  const goals = {
    verify: ratio <= 0.5,
    automerge: convergeMs < am.ms,
    disk: perChangeDisk <= 400,
    wire: perChangeWire <= 200,
    block: maxBlockMs <= 50,
  };
  console.log(
    JSON.stringify({
      bench: "sync-fresh-device",
      changes: served,
      authors: AUTHORS,
      convergeMs: Math.round(convergeMs),
      appliedMs: Math.round(appliedMs),
      verifyAllMs: Math.round(verifyAllMs),
      ratioToVerifyAll: Number(ratio.toFixed(3)),
      automergeLoadMs: Math.round(am.ms),
      ratioToAutomerge: Number((convergeMs / am.ms).toFixed(3)),
      deviceCpuMs: Math.round(deviceCpuMs),
      cpuRatioToVerifyAll: Number((deviceCpuMs / verifyAllCpuMs).toFixed(3)),
      serverCpuMs,
      signaturesChecked: checked,
      wireBytesPerChange: Math.round(perChangeWire),
      diskBytesPerChange: Math.round(perChangeDisk),
      maxBlockMs: Number(maxBlockMs.toFixed(1)),
      progressHonest: honest,
      catchUpRestarts: restarts,
      goals: Object.fromEntries(Object.entries(goals).map(([k, v]) => [k, v ? "met" : "missed"])),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * A fresh device joining a busy workspace (issue 14): 50,000 changes by 8
 * authors, served by a node in a child process over a real WebSocket on
 * 127.0.0.1. The device runs in a child process of its own (`joinDevice`:
 * as a new laptop, its code cold and its heap holding nothing of the
 * seeding done here), starts on an empty data dir (real SQLite) and joins
 * with an invite naming the server (`benchInvite`: one more change by the
 * workspace's admin, over the history). The clock runs until its database
 * file holds every head of the server and every story row is written
 * (another connection sees the heads, and no `STORIES_LAG_KEY` mark);
 * `appliedMs` is when the device held every head in memory (polled every
 * 20 ms), the rest is its tail. Compared, in the same round, with:
 * (a) node:crypto verifying every one of the 50,000 signatures, one by one
 *     (goal: converge in ≤ 0.5× that);
 * (b) Automerge (`@automerge/automerge`) loading a saved document holding
 *     the same stories and updates, one Automerge change per change, once,
 *     in a process of its own (`automergeLoadOnce`: cold, as the device is;
 *     goal: faster than that load).
 * Three rounds (baselines, then a server and a device started afresh): on
 * this shared machine one round's ratio is partly luck, so the figures and
 * the goals are the medians of the rounds' own ratios, except the longest
 * event-loop block, the worst of any round (goal ≤ 50 ms).
 * Also the device's CPU time over the same window against the verify-all
 * run's (`cpuRatioToVerifyAll`: what the wall-clock ratio is when the
 * machine is not shared; not a goal), and the server's (`serverCpuMs`, from
 * ready to stop: serving competes with the device for this machine's two
 * cores). Also: bytes per change on the wire (everything the server wrote
 * to its sync sockets, upgrade and handshake included, counted in the
 * child; goal ≤ 200) and on disk (the device's database after close; goal
 * ≤ 400), the signatures it checked, and whether its progress bar counted
 * every change it received.
 *
 * The generated history and the Automerge document are cached in the OS
 * temp dir (building them takes minutes; neither is what is measured).
 *
 * Run: npm run bench syncFreshDevice   (ends with one JSON line)
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { createNode } from "../src-main/node/createNode";
import { silentLogger } from "../src-main/base/Logger";
import { benchInvite } from "./support/benchInvite";
import type { JoinReport } from "./support/joinDevice";
import { nativeVerifyMs } from "./support/nativeVerifyRate";
import { BENCH_WORKSPACE } from "./support/generateTeamHistory";
import { inChild, median } from "./support/inChild";
import { TEAM_HISTORY, teamHistory } from "./support/teamHistoryCache";

/** CPU time (user + system, every thread of this process) since `from`, in ms. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

const AUTHORS = TEAM_HISTORY.authors;
/** Rounds of (baselines, device): this machine is shared, so one round's ratio is partly luck; the goals judge the medians. */
const ROUNDS = 3;
const ROOT = join(import.meta.dirname, "..");

/** (a): every signature verified natively, one by one (keys prepared and bodies decoded outside the clock). */
const verifyEverything = (log: readonly Uint8Array[]): number => nativeVerifyMs(log, BENCH_WORKSPACE);

/** The history's authors (`generateTeamHistory`: `makeBenchNode(20 + k)`), one of them the workspace's admin. */
const AUTHOR_SEEDS = Array.from({ length: AUTHORS }, (_, k) => 0x10 + 20 + k);

async function seedServer(history: Uint8Array[]): Promise<{ dir: string; heads: string[]; stories: number; invites: ((addresses: string[]) => string)[] }> {
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-src-"));
  const node = await createNode({ dataDir: dir, workspaceId: BENCH_WORKSPACE, host: "embedded", log: silentLogger });
  const invite = benchInvite(history, AUTHOR_SEEDS, node.info.nodeId, ROUNDS);
  const log = [...history, invite.change];
  const report = await node.ingest(log);
  if (report.applied !== log.length) throw new Error(`seeding applied ${report.applied} of ${log.length}`);
  const heads = node.replica.heads().sort();
  const stories = node.replica.stories().length;
  await node.close();
  return { dir, heads, stories, invites: invite.lines };
}

async function startServer(dir: string): Promise<{ url: string; stop(): Promise<{ bytesOut: number; cpuMs: number }>; kill(): void }> {
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
    kill: () => void child.kill(),
  };
}

/** One round: both baselines, then a cold device joining a cold server (each in its own process). */
interface Round {
  verifyAllMs: number;
  verifyAllCpuMs: number;
  automergeLoadMs: number;
  device: JoinReport;
  serverCpuMs: number;
  wireBytes: number;
  diskBytes: number;
}

async function round(log: readonly Uint8Array[], automergeFile: string, src: { dir: string; heads: string[] }, invite: (addresses: string[]) => string): Promise<Round> {
  const verifyCpu = process.cpuUsage();
  const verifyAllMs = verifyEverything(log);
  const verifyAllCpuMs = cpuMsSince(verifyCpu);
  // (b): Automerge opening the same board, cold in its own process, as the device is.
  const am = await inChild<{ ms: number; stories: number }>("automergeLoadOnce.ts", [automergeFile]);
  const server = await startServer(src.dir);
  const dir = await mkdtemp(join(tmpdir(), "musher-bench-fresh-"));
  const headsFile = join(dir, "..", `${basename(dir)}-heads.json`);
  writeFileSync(headsFile, JSON.stringify(src.heads));
  let device: JoinReport;
  try {
    device = await inChild<JoinReport>("joinDevice.ts", [dir, invite([server.url]), headsFile]);
  } catch (err) {
    // A failed device must fail the benchmark, not leave it waiting on a server that nobody stops.
    server.kill();
    await rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(headsFile, { force: true });
  }
  const { bytesOut: wireBytes, cpuMs: serverCpuMs } = await server.stop();
  // The file and whatever WAL the close left (none, unless its last checkpoint was busy: the file alone would then flatter the figure).
  const diskBytes = (await stat(join(dir, "musher.db"))).size + ((await stat(join(dir, "musher.db-wal")).catch(() => null))?.size ?? 0);
  await rm(dir, { recursive: true, force: true });
  if (am.stories === 0) throw new Error("the Automerge document holds no story");
  return { verifyAllMs, verifyAllCpuMs, automergeLoadMs: am.ms, device, serverCpuMs, wireBytes, diskBytes };
}

async function main(): Promise<void> {
  const { log, automergeFile } = teamHistory();
  const wireFormatBytes = log.reduce((n, c) => n + c.length, 0);
  const src = await seedServer(log);
  const served = log.length + 1; // the history and the admin's invites
  const rounds: Round[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const one = await round(log, automergeFile, src, src.invites[r]!);
      const d = one.device;
      if (d.stories !== src.stories) throw new Error(`fresh device has ${d.stories} stories, the server ${src.stories}`);
      console.log(
        `round ${r + 1}: converged in ${d.convergeMs.toFixed(0)} ms (applied ${d.appliedMs.toFixed(0)}), verify-all ${one.verifyAllMs.toFixed(0)} ms, ` +
          `Automerge load ${one.automergeLoadMs.toFixed(0)} ms: ${(d.convergeMs / one.verifyAllMs).toFixed(2)}x and ${(d.convergeMs / one.automergeLoadMs).toFixed(2)}x; ` +
          `CPU device ${d.cpuMs.toFixed(0)} ms, server ${one.serverCpuMs} ms; ${d.signaturesChecked} signatures checked; longest block ${d.maxBlockMs.toFixed(1)} ms`,
      );
      rounds.push(one);
    }
  } finally {
    // The seeded server's data dir goes even when a round fails.
    await rm(src.dir, { recursive: true, force: true });
  }

  const mid = (f: (r: Round) => number): number => median(rounds.map(f));
  const convergeMs = mid((r) => r.device.convergeMs);
  const appliedMs = mid((r) => r.device.appliedMs);
  const verifyAllMs = mid((r) => r.verifyAllMs);
  const automergeLoadMs = mid((r) => r.automergeLoadMs);
  // Ratios within each round (its baselines ran seconds before its device, under the same minute's load), then their median.
  const ratio = mid((r) => r.device.convergeMs / r.verifyAllMs);
  const ratioToAutomerge = mid((r) => r.device.convergeMs / r.automergeLoadMs);
  const deviceCpuMs = mid((r) => r.device.cpuMs);
  const cpuRatio = mid((r) => r.device.cpuMs / r.verifyAllCpuMs);
  const serverCpuMs = mid((r) => r.serverCpuMs);
  const checked = mid((r) => r.device.signaturesChecked);
  const perChangeWire = mid((r) => r.wireBytes) / served;
  const perChangeDisk = mid((r) => r.diskBytes) / served;
  // The longest block of any round: a block is a user-visible freeze, so the worst one counts.
  const maxBlockMs = Math.max(...rounds.map((r) => r.device.maxBlockMs));
  // Honest progress: never more received than announced, and the announced total is the history (on every link's
  // catch-up; a later round's server also holds the earlier devices' join changes).
  const progress = rounds.flatMap((r, k) => r.device.progress.map((p) => ({ ...p, served: served + k })));
  const restarts = rounds.reduce((n, r) => n + r.device.progress.filter((p, i, all) => i > 0 && p.received < all[i - 1]!.received).length, 0);
  const honest = rounds.every((r) => r.device.progress.length > 0) && progress.every((p) => p.received <= p.expected && p.expected <= p.served);
  console.log(`fresh device, median of ${ROUNDS} rounds: ${served} changes in ${convergeMs.toFixed(0)} ms (${(served / (convergeMs / 1000)).toFixed(0)} /s), ${checked} signatures checked`);
  console.log(`  applied in ${appliedMs.toFixed(0)} ms, then ${(convergeMs - appliedMs).toFixed(0)} ms to commit and write story rows`);
  console.log(`  ${ratio.toFixed(2)}x verify-every-signature, ${ratioToAutomerge.toFixed(2)}x Automerge load; CPU: device ${deviceCpuMs.toFixed(0)} ms, server ${serverCpuMs} ms`);
  console.log(`  wire ${perChangeWire.toFixed(0)} B/change (changes alone ${(wireFormatBytes / log.length).toFixed(0)}), disk ${perChangeDisk.toFixed(0)} B/change, longest block (any round) ${maxBlockMs.toFixed(1)} ms`);
  const goals = {
    verify: ratio <= 0.5,
    automerge: ratioToAutomerge < 1,
    disk: perChangeDisk <= 400,
    wire: perChangeWire <= 200,
    block: maxBlockMs <= 50,
  };
  console.log(
    JSON.stringify({
      bench: "sync-fresh-device",
      rounds: ROUNDS,
      changes: served,
      authors: AUTHORS,
      convergeMs: Math.round(convergeMs),
      appliedMs: Math.round(appliedMs),
      verifyAllMs: Math.round(verifyAllMs),
      ratioToVerifyAll: Number(ratio.toFixed(3)),
      automergeLoadMs: Math.round(automergeLoadMs),
      ratioToAutomerge: Number(ratioToAutomerge.toFixed(3)),
      deviceCpuMs: Math.round(deviceCpuMs),
      cpuRatioToVerifyAll: Number(cpuRatio.toFixed(3)),
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

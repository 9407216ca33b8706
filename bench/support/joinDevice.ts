/**
 * Child process of the fresh-device benchmark: the joining device, in a
 * process of its own, as a new laptop is — its code cold and its heap
 * empty, not warmed or filled by the node that seeded the history in the
 * benchmark's process. Starts a node on an empty data dir with the invite,
 * and stops the clock once another connection to its database file sees
 * every head of the server and no story row left to write. Prints one JSON
 * line (`JoinReport`) and exits.
 *
 * Run: node --import tsx bench/support/joinDevice.ts <dataDir> <invite line> <heads.json>
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";
import { STORIES_LAG_KEY } from "../../src-main/store/migrations";
import { CHANGE_BY_ID } from "../../src-main/store/replicaStatements";
import { blockProbe } from "./blockProbe";

export interface JoinReport {
  convergeMs: number;
  appliedMs: number;
  /** This process's CPU time (main thread and workers) over the same window. */
  cpuMs: number;
  maxBlockMs: number;
  signaturesChecked: number;
  stories: number;
  /** Every catch-up status the device reported. */
  progress: { expected: number; received: number }[];
}

async function main(): Promise<void> {
  const [dir, invite, headsFile] = process.argv.slice(2);
  if (!dir || !invite || !headsFile) throw new Error("usage: joinDevice <dataDir> <invite line> <heads.json>");
  const heads = JSON.parse(readFileSync(headsFile, "utf8")) as string[];
  const progress: JoinReport["progress"] = [];
  const stopProbe = blockProbe();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, join: invite });
  node.sync.onStatus((s) => {
    if (s.catchUp) progress.push({ expected: s.catchUp.expected, received: s.catchUp.received });
  });
  // Holds the server's whole history (its own `join` change, written once the invite arrived, is extra).
  while (!heads.every((h) => node.replica.hasChange(h))) {
    if (performance.now() - start > 600_000) throw new Error("the fresh device did not converge in 10 min");
    await new Promise((r) => setTimeout(r, 20));
  }
  // Applied (in memory, within ~20 ms); the rest of the clock is committing the last group and writing held story rows.
  const appliedMs = performance.now() - start;
  // Received changes commit in groups, and their story rows are written after them (SqliteReplicaStore):
  // converged means committed and written, as another connection to the file sees it.
  const reader = new Database(join(dir, "musher.db"), { readonly: true });
  const has = reader.prepare<[{ id: Buffer }], { one: number }>(`SELECT 1 AS one FROM changes WHERE ${CHANGE_BY_ID}`);
  const lagging = reader.prepare<[string], { one: number }>("SELECT 1 AS one FROM meta WHERE key = ?");
  const written = (): boolean => heads.every((h) => has.get({ id: Buffer.from(h, "hex") }) !== undefined) && lagging.get(STORIES_LAG_KEY) === undefined;
  while (!written()) await new Promise((r) => setTimeout(r, 2));
  reader.close();
  const convergeMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const report: JoinReport = {
    convergeMs,
    appliedMs,
    cpuMs: (used.user + used.system) / 1000,
    maxBlockMs: stopProbe(),
    signaturesChecked: node.replica.signaturesChecked(),
    stories: node.replica.stories().length,
    progress,
  };
  await node.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

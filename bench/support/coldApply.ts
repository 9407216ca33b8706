/**
 * Child process of the cold-apply benchmark: applies the cached team
 * history once, in a fresh process (its code cold, as a new device's is),
 * with no network and no server, and prints one JSON line (`ColdApplyReport`).
 * The clock starts after the imports and after reading the file.
 *
 *   replica: a bare `Replica` on its in-memory store (no SQLite, no
 *            reducers), fed in batches of 256 (signatures checked per author
 *            head, in this thread): the CRDT core alone;
 *   import:  `node.ingest` on a new data dir, then `close` (which writes
 *            every held story row): the import path (`musher import`):
 *            SQLite, the reducers, the worker pool, chunks committed in
 *            groups as a fresh device's catch-up does, durable at the end.
 *
 * Run: node --import tsx bench/support/coldApply.ts <replica|import> <log file>
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src-main/base/Logger";
import { identityFromSeed } from "../../src-main/crdt/Identity";
import { Replica } from "../../src-main/crdt/Replica";
import { createNode } from "../../src-main/node/createNode";
import { BENCH_WORKSPACE } from "./generateTeamHistory";
import { readBlobs } from "./teamHistoryCache";

export interface ColdApplyReport {
  ms: number;
  applied: number;
  stories: number;
}

const BATCH = 256;

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== "replica" && mode !== "import") || !file) throw new Error("usage: coldApply <replica|import> <log file>");
  const log = readBlobs(file);
  let report: ColdApplyReport;
  if (mode === "replica") {
    const start = performance.now();
    const replica = new Replica({ workspace: BENCH_WORKSPACE, signer: identityFromSeed(new Uint8Array(32).fill(3)), logger: silentLogger });
    let applied = 0;
    for (let i = 0; i < log.length; i += BATCH) {
      for (const r of replica.receiveBatch(log.slice(i, i + BATCH))) if (r.status === "applied") applied++;
    }
    report = { ms: performance.now() - start, applied, stories: replica.stories().length };
  } else {
    const dir = await mkdtemp(join(tmpdir(), "musher-bench-cold-"));
    try {
      const start = performance.now();
      const node = await createNode({ dataDir: dir, workspaceId: BENCH_WORKSPACE, host: "embedded", log: silentLogger });
      const { applied } = await node.ingest(log);
      const stories = node.replica.stories().length;
      // Closing settles the store: every change row committed and every held story row written.
      await node.close();
      report = { ms: performance.now() - start, applied, stories };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

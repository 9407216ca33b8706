/**
 * How far the CRDT apply is from Automerge's load, without sync (issue 14's
 * Automerge goal, taken apart): the fresh-device benchmark's 50,000-change
 * history applied once in a fresh process (`coldApply`), cold as a new
 * device is, against Automerge loading the same board once in a fresh
 * process (`automergeLoadOnce`), in the same round:
 *   replica: a bare `Replica` on its in-memory store, no SQLite, no
 *            reducers: the CRDT core (decode, authenticate per author head,
 *            validate, apply);
 *   import:  `node.ingest` into a new data dir until closed: the import
 *            path (SQLite, story rows, reducers, the worker pool; chunks
 *            committed in groups, the run made durable at its end).
 * The fresh device (`syncFreshDevice`) applies through a third path: from
 * a peer, over a WebSocket. A ratio below 1 is faster than Automerge's
 * load. Three rounds (this machine is shared); the figures are the medians
 * of the rounds' own ratios.
 *
 * Run: npm run bench crdtColdApply   (ends with one JSON line)
 */
import type { ColdApplyReport } from "./support/coldApply";
import { inChild, median } from "./support/inChild";
import { TEAM_HISTORY, teamHistory } from "./support/teamHistoryCache";

const ROUNDS = 3;

async function main(): Promise<void> {
  const { log, logFile, automergeFile } = teamHistory();
  const rounds: { automerge: number; replica: number; imported: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const am = await inChild<{ ms: number; stories: number }>("automergeLoadOnce.ts", [automergeFile]);
    const replica = await inChild<ColdApplyReport>("coldApply.ts", ["replica", logFile]);
    const imported = await inChild<ColdApplyReport>("coldApply.ts", ["import", logFile]);
    for (const [name, rep] of [["replica", replica], ["import", imported]] as const) {
      if (rep.applied !== log.length) throw new Error(`${name} applied ${rep.applied} of ${log.length}`);
    }
    if (imported.stories !== replica.stories || am.stories === 0) throw new Error(`stories: replica ${replica.stories}, import ${imported.stories}, Automerge ${am.stories}`);
    console.log(
      `round ${r + 1}: Automerge load ${am.ms.toFixed(0)} ms; replica ${replica.ms.toFixed(0)} ms (${(replica.ms / am.ms).toFixed(2)}x), ` +
        `import ${imported.ms.toFixed(0)} ms (${(imported.ms / am.ms).toFixed(2)}x)`,
    );
    rounds.push({ automerge: am.ms, replica: replica.ms, imported: imported.ms });
  }
  const mid = (f: (r: (typeof rounds)[number]) => number): number => median(rounds.map(f));
  console.log(
    JSON.stringify({
      bench: "crdt-cold-apply",
      rounds: ROUNDS,
      changes: log.length,
      authors: TEAM_HISTORY.authors,
      automergeLoadMs: Math.round(mid((r) => r.automerge)),
      replicaMs: Math.round(mid((r) => r.replica)),
      importMs: Math.round(mid((r) => r.imported)),
      replicaRatioToAutomerge: Number(mid((r) => r.replica / r.automerge).toFixed(3)),
      importRatioToAutomerge: Number(mid((r) => r.imported / r.automerge).toFixed(3)),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

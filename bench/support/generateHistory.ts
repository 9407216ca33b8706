/**
 * The change history benchmarks ingest: two authors editing concurrently
 * and merging every 250 changes (a realistic DAG), deterministic for a given
 * `total`. Shared by bench/crdtIngest.ts and bench/storeOpen.ts. Lives in a
 * subfolder so scripts/bench.js does not run it as a benchmark.
 */
import { silentLogger } from "../../src-main/base/Logger";
import { identityFromSeed } from "../../src-main/crdt/Identity";
import { PipelineBoard } from "../../src-main/crdt/PipelineBoard";
import { Replica } from "../../src-main/crdt/Replica";
import type { ReplicaStore } from "../../src-main/crdt/ReplicaStore";
import { STAGES } from "../../src-shared/stages";

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const BENCH_WORKSPACE = "bench";

/** A replica (in memory unless `store` is given) with a stable identity i and a fast-moving clock. */
export function makeBenchNode(i: number, store?: ReplicaStore): { replica: Replica; board: PipelineBoard } {
  let t = 1_700_000_000_000;
  const replica = new Replica({
    workspace: BENCH_WORKSPACE,
    signer: identityFromSeed(new Uint8Array(32).fill(0x10 + i)),
    logger: silentLogger,
    now: () => (t += 7),
    ...(store ? { store } : {}),
  });
  let n = 0;
  return { replica, board: new PipelineBoard(replica, () => `b${i}-${n++}`) };
}

export function generateHistory(total: number): Uint8Array[] {
  const authors = [makeBenchNode(0), makeBenchNode(1)];
  const log: Uint8Array[] = [];
  const shipped = [0, 0];
  authors.forEach((a) => a.replica.onApplied((e) => e.local && log.push(...e.changes)));
  const own: string[][] = [[], []];
  let x = 12345;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  for (let i = 0; log.length < total; i++) {
    const k = i % 2;
    const { board } = authors[k]!;
    const mine = own[k]!;
    const r = rnd(100);
    if (mine.length < 20 || r < 10) {
      // Random short ranks (a 2-char integer part and a 1-char fraction): the
      // generator is not what is measured, so it skips the column scan.
      const id = `g${k}-${i}`;
      const rank = "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]!;
      authors[k]!.replica.commit([{ t: "create", story: id, name: `story ${i}`, stage: STAGES[rnd(STAGES.length)]!.id, rank, agent: null }]);
      mine.push(id);
    } else {
      const id = mine[rnd(mine.length)]!;
      // Insert at a random position of the column (approximate size), not at its end.
      if (r < 40) board.move(id, STAGES[rnd(STAGES.length)]!.id, rnd(1 + Math.floor((own[0]!.length + own[1]!.length) / 8)));
      else if (r < 60) board.update(id, { name: `renamed ${i}` });
      else if (r < 75) board.retry(id);
      else if (r < 90) board.update(id, { blocked: r % 2 === 0 });
      else board.claim(id, `agent-${k}`);
    }
    if (i % 250 === 249) {
      // Exchange what each has not sent yet, so later changes depend on both branches.
      const batch = log.slice(Math.min(...shipped));
      authors.forEach((a) => a.replica.receiveBatch(batch));
      shipped.fill(log.length);
    }
  }
  return log.slice(0, total);
}

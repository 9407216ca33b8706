/**
 * Applies many received changes without blocking the event loop (design
 * Invariant 7): a chunk of changes per savepoint (see below) and a
 * `setImmediate` turn between chunks so sockets, timers and UI calls run.
 * The chunk size adapts so a chunk takes about `budgetMs` (default 20 ms,
 * well under the 50 ms the design allows): the cost per change varies with
 * the machine and the work (verify, validation, stories touched), so a
 * fixed count would be either too slow or too blocking somewhere.
 *
 * Like a peer's catch-up, the chunks are received batches: each is a
 * savepoint in the store's group transaction, committed without waiting for
 * the disk (`ReplicaStore.transaction`'s `durable: false`), and the ingest
 * ends by making all of it durable (`Replica.durableRun`). One fsync per
 * chunk made an import ~1.6× slower than a catch-up of the same history.
 * While a chunk applies, the next one's author heads are checked in the
 * worker pool (`Replica.precheck`), so the loop verifies nothing itself:
 * that is why a chunk's size is fixed one chunk ahead.
 *
 * Invariants: each chunk is atomic on its own; when `ingestInChunks`
 * resolves, everything it applied is durable, and it rejects if a group
 * commit failed meanwhile (those changes were rolled back: importing again
 * applies them); a stop (`signal`) between chunks leaves the chunks applied
 * so far committed, durable once the store settles (closing does). Changes
 * whose deps come in a later chunk wait in the replica's pending queue and
 * are released by it, so chunk boundaries never change the result.
 */
import type { Replica } from "../crdt/Replica";

/** The first chunk, before any measurement: small, because cold (unoptimized) code is slow. */
export const FIRST_INGEST_CHUNK = 32;
const MIN_CHUNK = 8;
/**
 * Capped low because the cost per change can jump (a run of cheap
 * duplicates, then new changes to verify): the cap bounds that one chunk.
 */
const MAX_CHUNK = 250;

export interface IngestReport {
  received: number;
  /** Changes applied by this ingest, including queued ones it released. */
  applied: number;
  duplicate: number;
  /** Still waiting for deps when the ingest ended. */
  pending: number;
  rejected: number;
}

export async function ingestInChunks(
  replica: Replica,
  changes: readonly Uint8Array[],
  options: { firstChunk?: number; budgetMs?: number; signal?: AbortSignal } = {},
): Promise<IngestReport> {
  const budget = options.budgetMs ?? 20;
  let chunk = Math.max(1, options.firstChunk ?? FIRST_INGEST_CHUNK);
  let next = chunk;
  const report: IngestReport = { received: changes.length, applied: 0, duplicate: 0, pending: 0, rejected: 0 };
  const waiting = new Set<string>();
  const end = replica.durableRun();
  for (let i = 0; i < changes.length; ) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    // Stops between chunks only: every finished chunk stays committed.
    options.signal?.throwIfAborted();
    const started = performance.now();
    const batch = changes.slice(i, i + chunk);
    i += chunk;
    if (i < changes.length) void replica.precheck([changes.slice(i, i + next)]); // never rejects: a missed check is made in its turn
    // A large round of signature checks (a hostile chunk) runs in the replica's worker pool; the chunk's apply is one savepoint.
    const results = replica.applyPrepared(await replica.prepareBatch(batch), { durable: false });
    // Halfway towards the size that would have taken `budget` ms: quick to adapt, slow to oscillate.
    const ideal = (chunk * budget) / Math.max(1, performance.now() - started);
    [chunk, next] = [next, Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (chunk + ideal) / 2)))];
    for (const r of results) {
      report.applied += r.applied.length;
      for (const id of r.applied) waiting.delete(id);
      if (r.status === "duplicate") report.duplicate++;
      else if (r.status === "rejected") report.rejected++;
      else if (r.status === "pending" && r.id !== undefined) waiting.add(r.id);
    }
  }
  end();
  report.pending = waiting.size;
  return report;
}

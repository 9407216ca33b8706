/**
 * Applies many received changes without blocking the event loop (design
 * Invariant 7): a chunk of changes per `receiveBatch` — one store
 * transaction each, so one fsync per chunk, not per change — and a
 * `setImmediate` turn between chunks so sockets, timers and UI calls run.
 * The chunk size adapts so a chunk takes about `budgetMs` (default 20 ms,
 * well under the 50 ms the design allows): the cost per change varies with
 * the machine and the work (verify, validation, stories touched), so a fixed
 * count would be either too slow or too blocking somewhere.
 *
 * Invariants: each chunk is atomic on its own (a crash keeps whole chunks);
 * changes whose deps come in a later chunk wait in the replica's pending
 * queue and are released by it, so chunk boundaries never change the result.
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
  const report: IngestReport = { received: changes.length, applied: 0, duplicate: 0, pending: 0, rejected: 0 };
  const waiting = new Set<string>();
  for (let i = 0; i < changes.length; ) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    // Stops between chunks only: every finished chunk stays committed.
    options.signal?.throwIfAborted();
    const started = performance.now();
    // A large round of signature checks (a hostile chunk) runs in the replica's worker pool; the chunk's apply is one transaction.
    const results = await replica.receiveBatchAsync(changes.slice(i, i + chunk));
    i += chunk;
    // Halfway towards the size that would have taken `budget` ms: quick to adapt, slow to oscillate.
    const ideal = (chunk * budget) / Math.max(1, performance.now() - started);
    chunk = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (chunk + ideal) / 2)));
    for (const r of results) {
      report.applied += r.applied.length;
      for (const id of r.applied) waiting.delete(id);
      if (r.status === "duplicate") report.duplicate++;
      else if (r.status === "rejected") report.rejected++;
      else if (r.status === "pending" && r.id !== undefined) waiting.add(r.id);
    }
  }
  report.pending = waiting.size;
  return report;
}

/**
 * Runs SQLite's WAL checkpoints in a worker thread, on a connection of its
 * own, so the main loop never does one.
 *
 * Why: with the default `wal_autocheckpoint` the commit that pushes the WAL
 * past 1,000 pages also copies them into the database file and fsyncs it,
 * in the committing thread: measured here at 15–45 ms on top of the
 * commit during a catch-up, one of every few commits — the longest blocks
 * of the main loop (design Invariant 7). A PASSIVE checkpoint from another
 * connection never blocks the writer or readers.
 *
 * Invariants:
 * - The main connection's `wal_autocheckpoint` is 0 only while the worker
 *   runs; if the worker cannot start or dies, it is set back to 1,000 (the
 *   default) and the failure is logged once: checkpoints then block again,
 *   nothing else changes.
 * - `stop()` ends the worker and makes one last TRUNCATE checkpoint on the
 *   main connection, so a closed data dir leaves an empty WAL. The worker
 *   closes its connection first and says so (a shared flag `stop()` waits on,
 *   bounded): a checkpoint of its still running made the last one busy, and
 *   the WAL stayed full of frames not in the file (measured: 2 closes in 12
 *   under writes, a 35–52 MB WAL beside a file of half its size).
 * - The worker is unref'd (it never keeps the process alive) and its body
 *   is a plain-JS string (`eval: true`), like `VerifyPool`'s, loading the
 *   same better-sqlite3 (and native module) as the main thread.
 * - No module-level state.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { Logger } from "../base/Logger";

/** How often the worker checkpoints what the WAL holds (a PASSIVE checkpoint of an up-to-date WAL costs next to nothing). */
const CHECKPOINT_EVERY_MS = 200;
const DEFAULT_AUTOCHECKPOINT = 1000;
/** How long `stop()` waits for the worker to close its connection (a checkpoint in progress finishes first). */
const STOP_WAIT_MS = 2_000;

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma("busy_timeout = 1000");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
const timer = setInterval(() => checkpoint.run(), workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  const closed = new Int32Array(workerData.closed);
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
});
`;

export class WalCheckpointer {
  private worker: Worker | null = null;
  private failed = false;
  /** Set to 1 by the worker once its connection is closed (see the header). */
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    /** `everyMs`: the checkpoint interval (tests make it short). */
    private readonly options: { nativeBinding?: string; log?: Logger; everyMs?: number } = {},
  ) {}

  start(): void {
    try {
      const sqlite = createRequire(import.meta.url).resolve("better-sqlite3");
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { sqlite, file: this.file, nativeBinding: this.options.nativeBinding, everyMs: this.options.everyMs ?? CHECKPOINT_EVERY_MS, closed: this.closed.buffer },
      });
      worker.unref();
      worker.on("error", (err) => this.fallBack(err));
      worker.on("exit", (code) => {
        if (this.worker === worker) this.fallBack(new Error(`checkpoint worker exited (${code})`));
      });
      this.worker = worker;
      this.db.pragma("wal_autocheckpoint = 0");
    } catch (err) {
      this.fallBack(err);
    }
  }

  /** Ends the worker; the WAL is checkpointed into the file and emptied here. Never throws. */
  stop(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) {
      worker.postMessage("stop");
      // Blocks this thread until the worker's checkpoint in progress ends and its connection closes (a close-time wait, bounded).
      Atomics.wait(this.closed, 0, 0, STOP_WAIT_MS);
      void worker.terminate();
    }
    if (!this.db.open) return;
    try {
      this.db.pragma("wal_autocheckpoint = " + DEFAULT_AUTOCHECKPOINT);
      const [result] = this.db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      if (result?.busy !== 0) this.options.log?.warn("store: last WAL checkpoint was busy (another connection holds the file; the next open recovers it)");
    } catch (err) {
      this.options.log?.warn("store: last WAL checkpoint failed (the next open recovers it)", { err });
    }
  }

  private fallBack(err: unknown): void {
    this.worker = null;
    if (this.failed) return;
    this.failed = true;
    this.options.log?.warn("store: WAL checkpoints run in the main thread (the checkpoint worker failed)", { err });
    if (this.db.open) this.db.pragma("wal_autocheckpoint = " + DEFAULT_AUTOCHECKPOINT);
  }
}

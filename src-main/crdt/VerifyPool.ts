/**
 * Ed25519 verification in worker threads, so a batch that needs many
 * individual checks (a hostile batch whose heads fail, see
 * `authenticateBatch`) costs the main loop nothing but posting it.
 *
 * The pinned rule (`Ed25519Verifier`) is split where it is cheap to split:
 * the byte-level prechecks (scalar < L, canonical non-small-order key and R)
 * run here, before posting; a worker runs only OpenSSL's cofactorless
 * equation (`crypto.verify`) — the same call the in-thread verifier makes —
 * so a signature gets the same answer on either path.
 *
 * Designed for 8+ cores: `size` workers (default: available cores − 1,
 * at most 8, at least 1), each request split evenly across them. The worker
 * body is a small plain-JS string (`eval: true`), so it runs unchanged
 * under tsx, vitest and the bundled app.
 *
 * Invariants: no module-level state; workers start on first use, or at
 * `start()` when many checks are known to come; `close()` terminates every worker and
 * fails outstanding requests; a worker that dies fails its requests (the
 * caller then falls back to verifying in-thread), never hangs them.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { passesPrechecks } from "./Ed25519Verifier";

export interface VerifyItem {
  sig: Uint8Array;
  msg: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  key: Uint8Array;
}

/** A posted item: signature, key, message length (u32 LE), message; every item one buffer (see `pack`). */
const SIG = 64;
const KEY = 32;
const HEADER = SIG + KEY + 4;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createPublicKey, verify } = require("node:crypto");
const PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const keys = new Map();
function keyOf(raw) {
  const hex = raw.toString("hex");
  let k = keys.get(hex);
  if (k === undefined) {
    try { k = createPublicKey({ key: Buffer.concat([PREFIX, raw]), format: "der", type: "spki" }); } catch { k = null; }
    if (keys.size > 4096) keys.clear();
    keys.set(hex, k);
  }
  return k;
}
{
  // Warm-up, before the first request: OpenSSL's Ed25519 code and this thread's first key import and
  // verify are slow the first time; a request should not pay that while a catch-up waits for it.
  const { generateKeyPairSync, sign } = require("node:crypto");
  const pair = generateKeyPairSync("ed25519");
  verify(null, PREFIX, pair.publicKey, sign(null, PREFIX, pair.privateKey));
  keyOf(pair.publicKey.export({ format: "der", type: "spki" }).subarray(PREFIX.length));
  keys.clear();
}
parentPort.on("message", ({ id, packed, count }) => {
  const b = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const out = new Uint8Array(count);
  for (let i = 0, o = 0; i < count; i++) {
    const sig = b.subarray(o, o + ${SIG}), key = b.subarray(o + ${SIG}, o + ${SIG + KEY});
    const n = b.readUInt32LE(o + ${SIG + KEY});
    const msg = b.subarray(o + ${HEADER}, o + ${HEADER} + n);
    o += ${HEADER} + n;
    const k = keyOf(key);
    if (k === null) continue;
    try { out[i] = verify(null, msg, k, sig) ? 1 : 0; } catch { /* a throw is a refusal (0) */ }
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

interface Job {
  resolve: (out: Uint8Array) => void;
  reject: (err: Error) => void;
}

export class VerifyPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(options: { size?: number } = {}) {
    this.size = Math.max(1, Math.min(8, options.size ?? availableParallelism() - 1));
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref(); // an idle pool never keeps the process alive
    worker.on("message", ({ id, out }: { id: number; out: Uint8Array }) => {
      const job = this.jobs.get(id);
      this.jobs.delete(id);
      job?.resolve(out);
    });
    worker.on("error", (err) => this.failAll(err));
    worker.on("exit", () => {
      // A dead worker is replaced on the next request, not posted to (a post to it would never answer).
      const at = this.workers.indexOf(worker);
      if (at >= 0) this.workers.splice(at, 1);
      if (!this.closed) this.failAll(new Error("a verify worker exited"));
    });
    return worker;
  }

  private failAll(err: Error): void {
    for (const job of this.jobs.values()) job.reject(err);
    this.jobs.clear();
  }

  /** Workers running now. */
  get running(): number {
    return this.workers.length;
  }

  /**
   * Starts the workers now instead of on first use: for a caller that knows
   * a bulk of checks is coming (a device joining a workspace receives its
   * whole history). A worker takes tens of ms to start; started by the first
   * request, the checks asked for meanwhile ran in the event loop instead.
   * Idempotent; nothing after `close()`.
   */
  start(): void {
    if (this.closed) return;
    while (this.workers.length < this.size) this.workers.push(this.spawn());
  }

  /** One boolean per item, under the pinned rule; rejects only if the pool is closed or a worker died. */
  async verifyMany(items: readonly VerifyItem[]): Promise<boolean[]> {
    if (this.closed) throw new Error("verify pool closed");
    const result = new Array<boolean>(items.length).fill(false);
    const todo: number[] = [];
    items.forEach((it, i) => {
      if (passesPrechecks(it.sig, it.key)) todo.push(i);
    });
    if (todo.length === 0) return result;
    this.start(); // on first use, unless started before: a node that never bulk-verifies never starts a thread
    const per = Math.ceil(todo.length / this.size);
    const parts: Promise<void>[] = [];
    for (let w = 0; w * per < todo.length; w++) {
      const slice = todo.slice(w * per, (w + 1) * per);
      const id = this.nextId++;
      parts.push(
        new Promise<Uint8Array>((resolve, reject) => {
          this.jobs.set(id, { resolve, reject });
          const packed = pack(slice.map((i) => items[i]!));
          this.workers[w]!.postMessage({ id, packed, count: slice.length }, [packed.buffer]);
        }).then((out) => slice.forEach((i, k) => (result[i] = out[k] === 1))),
      );
    }
    await Promise.all(parts);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error("verify pool closed"));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The items in one new buffer, which the post then moves (transfers) to the
 * worker rather than copies. Posting the items as objects cost the main
 * loop a structured clone of three arrays per item, and a view is cloned
 * with its whole backing buffer (a received frame, or Node's 8 KiB pool
 * behind a small Buffer). Every item has passed the prechecks: its
 * signature is 64 bytes and its key 32.
 */
function pack(items: readonly VerifyItem[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const it of items) size += HEADER + it.msg.length;
  const packed = new Uint8Array(size);
  const view = new DataView(packed.buffer);
  let o = 0;
  for (const it of items) {
    packed.set(it.sig, o);
    packed.set(it.key, o + SIG);
    view.setUint32(o + SIG + KEY, it.msg.length, true);
    packed.set(it.msg, o + HEADER);
    o += HEADER + it.msg.length;
  }
  return packed;
}

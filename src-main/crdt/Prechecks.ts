/**
 * Signature checks started ahead of the batch that needs them, in the
 * worker pool, so a catch-up's main loop verifies nothing itself.
 *
 * Why: an honest catch-up chunk costs one Ed25519 check per author head
 * (`authenticateBatch`); too few for a pool round trip while the loop waits
 * (`prepareBatch`), so they ran in the main thread: ~7% of a fresh device's
 * catch-up. But frames arrive ahead of their turn (the link queues them
 * while it applies the one before). While a chunk is handed out, the link
 * splits the next frame into the chunks it will apply (`Reconciler`), and
 * `batches` decodes them at once and posts each one's author heads to the
 * pool; by the time such a chunk is prepared the answers are in, and its own
 * checks find them here.
 *
 * Invariants:
 * - Only the work moves; no outcome changes. A check found here is the same
 *   (id, signature) pair verified under the same pinned rule (`VerifyPool`).
 *   The id does not cover the signature, so the signature bytes must match
 *   too: a copy of a verified change carrying another signature is checked
 *   on its own. Only successes are kept.
 * - A stashed decode is the decode of those very bytes (the same
 *   `Uint8Array`) for the same workspace: decoding is a pure function of
 *   both.
 * - The heads posted are a guess (each author's last change in a batch, in
 *   its order: the head of an honest batch, which is topologically ordered);
 *   a wrong guess costs a pool check and a miss, never a wrong answer.
 * - Bounded: at most `MAX_STASHED` decodes and `MAX_VERIFIED` results are
 *   held, oldest dropped first; a batch with more than `MAX_HEADS` authors
 *   posts only that many; nothing here grows with what a peer sends.
 */
import type { SignedChange } from "./Change";
import type { Decoded } from "./batchAuth";
import { decodeInput } from "./decodeInput";
import type { VerifyPool } from "./VerifyPool";

/** Decodes held for frames not yet applied: a few frames ahead (a frame holds up to ~250 changes). */
const MAX_STASHED = 2_048;
/** Verified (id, signature) pairs held until their chunk asks. */
const MAX_VERIFIED = 1_024;
/** Heads posted per batch at most (an honest batch has one per author). */
const MAX_HEADS = 64;

export class Prechecks {
  private readonly stashed = new Map<Uint8Array, { workspace: string; decoded: Decoded }>();
  private readonly verified = new Map<string, Uint8Array>();

  constructor(
    private readonly pool: VerifyPool,
    /** Counts checks the pool made (they are this replica's checks). */
    private readonly counted: (checks: number) => void,
  ) {}

  /**
   * Decodes batches received ahead of their turn and verifies each one's
   * author heads in the pool. Resolves when the answers are kept (tests
   * wait on it); never rejects: a failed pool only means the batch checks
   * its heads itself.
   */
  batches(batches: readonly (readonly Uint8Array[])[], workspace: string): Promise<void> {
    const heads: SignedChange[] = [];
    for (const inputs of batches) heads.push(...this.headsOf(inputs, workspace));
    if (heads.length === 0) return Promise.resolve();
    return this.pool.verifyMany(heads.map((s) => ({ sig: s.sig, msg: Buffer.from(s.id, "hex"), key: Buffer.from(s.change.author, "hex") }))).then(
      (out) => {
        this.counted(heads.length);
        heads.forEach((s, i) => {
          if (out[i] === true) keep(this.verified, MAX_VERIFIED, s.id, s.sig);
        });
      },
      () => undefined,
    );
  }

  /** Decodes (and stashes) a batch; each author's last change in it. */
  private headsOf(inputs: readonly Uint8Array[], workspace: string): SignedChange[] {
    const last = new Map<string, SignedChange>();
    for (const input of inputs) {
      const stashed = this.stashed.get(input);
      const decoded = stashed?.workspace === workspace ? stashed.decoded : decodeInput(input, workspace);
      keep(this.stashed, MAX_STASHED, input, { workspace, decoded });
      if (!decoded.ok || decoded.value.change.workspace !== workspace) continue;
      const author = decoded.value.change.author;
      if (last.has(author) || last.size < MAX_HEADS) last.set(author, decoded.value);
    }
    return [...last.values()];
  }

  /** The decode `batches` made of these bytes (once: it is dropped here), or undefined. */
  take(input: Uint8Array, workspace: string): Decoded | undefined {
    const hit = this.stashed.get(input);
    if (hit === undefined) return undefined;
    this.stashed.delete(input);
    return hit.workspace === workspace ? hit.decoded : undefined;
  }

  /** Whether the pool verified this change's id with this very signature (once: it is dropped here). */
  verifiedBefore(signed: SignedChange): boolean {
    const sig = this.verified.get(signed.id);
    if (sig === undefined || !Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).equals(signed.sig)) return false;
    this.verified.delete(signed.id);
    return true;
  }
}

/** Sets `key` in an insertion-ordered map holding at most `cap` entries, dropping the oldest. */
function keep<K, V>(map: Map<K, V>, cap: number, key: K, value: V): void {
  map.set(key, value);
  if (map.size > cap) map.delete(map.keys().next().value as K);
}

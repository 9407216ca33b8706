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
 * `batches` posts each one's author heads to the pool; by the time such a
 * chunk is prepared the answers are in, and its own checks find them here.
 *
 * Cheap on purpose: nothing is decoded here. A format-2 change carries its
 * signature and author key at fixed offsets, so the heads are found from
 * the key bytes, and only they are hashed (for their ids). Decoding
 * the whole frame ahead and keeping the result cost more in garbage
 * collection (the objects outlived a young generation) than it saved.
 *
 * Invariants:
 * - Only the work moves; no outcome changes. A check found here is the same
 *   (id, signature) pair verified under the same pinned rule (`VerifyPool`)
 *   against the key the id covers (the hashed body holds the author key).
 *   The id does not cover the signature, so the signature bytes must match
 *   too: a copy of a verified change carrying another signature is checked
 *   on its own. Only successes are kept.
 * - The heads posted are a guess (each author's last change in a batch, in
 *   its order: the head of an honest batch, which is topologically ordered);
 *   a wrong guess costs a pool check and a miss, never a wrong answer.
 *   Format-1 changes are not prechecked (their author is inside JSON).
 * - Bounded: at most `MAX_VERIFIED` answers are held, oldest dropped first;
 *   a batch posts at most `MAX_HEADS` heads, so a batch costs the pool at
 *   most one check per change; nothing here grows with what a peer sends.
 */
import { remember } from "../base/remember";
import type { SignedChange } from "./Change";
import { changeIdOfBytes } from "./changeCodec";
import { FORMAT_V2, V2_BODY_OFFSET } from "./changeCodecV2";
import type { VerifyItem, VerifyPool } from "./VerifyPool";

/** Verified (id, signature) pairs held until their chunk asks: a frame's worth, and more. */
const MAX_VERIFIED = 1_024;
/** Heads posted per batch at most (an honest batch has one per author). */
const MAX_HEADS = 64;
/** Format 2: format byte, 64-byte signature, then the body, which starts with the 32-byte author key. */
const SIG_END = V2_BODY_OFFSET;
const KEY_END = SIG_END + 32;

export class Prechecks {
  private readonly verified = new Map<string, Uint8Array>();

  constructor(
    private readonly pool: VerifyPool,
    /** Counts checks the pool made (they are this replica's checks). */
    private readonly counted: (checks: number) => void,
  ) {}

  /**
   * Verifies in the pool each batch's author heads, ahead of the batch's
   * turn. Resolves when the answers are kept (tests wait on it); never
   * rejects: a failed pool only means the batch checks its heads itself.
   */
  batches(batches: readonly (readonly Uint8Array[])[], workspace: string): Promise<void> {
    const heads: { id: string; item: VerifyItem }[] = [];
    for (const inputs of batches) for (const bytes of lastPerAuthor(inputs)) heads.push(headOf(bytes, workspace));
    if (heads.length === 0) return Promise.resolve();
    return this.pool.verifyMany(heads.map((h) => h.item)).then(
      (out) => {
        this.counted(heads.length);
        heads.forEach((h, i) => {
          if (out[i] === true) remember(this.verified, MAX_VERIFIED, h.id, Uint8Array.from(h.item.sig)); // not a view: it would hold the frame
        });
      },
      () => undefined,
    );
  }

  /** Whether the pool verified this change's id with this very signature (once: it is dropped here). */
  verifiedBefore(signed: SignedChange): boolean {
    const sig = this.verified.get(signed.id);
    if (sig === undefined || !Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength).equals(signed.sig)) return false;
    this.verified.delete(signed.id);
    return true;
  }
}

/**
 * Each author's last format-2 change in `inputs` (at most `MAX_HEADS`), found
 * from the end. Authors are told apart by the first 6 bytes of their key,
 * read as a number (no allocation, no native call per change): two keys
 * sharing them only cost one of them its precheck.
 */
function lastPerAuthor(inputs: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<number>();
  const heads: Uint8Array[] = [];
  for (let i = inputs.length - 1; i >= 0 && heads.length < MAX_HEADS; i--) {
    const b = inputs[i]!;
    if (b[0] !== FORMAT_V2 || b.length <= KEY_END) continue;
    const k = SIG_END;
    const prefix = b[k]! + b[k + 1]! * 2 ** 8 + b[k + 2]! * 2 ** 16 + b[k + 3]! * 2 ** 24 + b[k + 4]! * 2 ** 32 + b[k + 5]! * 2 ** 40;
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    heads.push(b);
  }
  return heads;
}

function headOf(bytes: Uint8Array, workspace: string): { id: string; item: VerifyItem } {
  const id = changeIdOfBytes(bytes, workspace);
  return { id, item: { sig: bytes.subarray(1, SIG_END), msg: Buffer.from(id, "hex"), key: bytes.subarray(SIG_END, KEY_END) } };
}

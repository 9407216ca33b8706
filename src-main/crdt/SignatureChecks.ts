/**
 * Where a replica's Ed25519 checks run, and how many it made: in this
 * thread, in the worker pool for a large round (`prepareBatch`), or ahead
 * of time for a frame waiting its turn (`Prechecks`).
 *
 * Invariants: every path applies the same pinned rule, so where a check ran
 * never changes its answer; a pool that fails falls back to this thread
 * (logged); `count` is every check made on any path, once.
 */
import type { Logger } from "../base/Logger";
import type { SignedChange } from "./Change";
import { Ed25519Verifier } from "./Ed25519Verifier";
import { Prechecks } from "./Prechecks";
import type { BatchVerifier } from "./prepareBatch";
import type { VerifyPool } from "./VerifyPool";

export class SignatureChecks {
  private checks = 0;
  private readonly verifier = new Ed25519Verifier();
  private readonly prechecks: Prechecks | undefined;

  constructor(
    private readonly pool: VerifyPool | undefined,
    private readonly logger: Logger,
  ) {
    this.prechecks = pool && new Prechecks(pool, (checks) => (this.checks += checks));
  }

  /** Signatures checked so far, on every path. */
  get count(): number {
    return this.checks;
  }

  /** One check in this thread, unless the pool made this very one ahead of time. */
  here(signed: SignedChange): boolean {
    if (this.prechecks?.verifiedBefore(signed)) return true; // counted when the pool checked it
    this.checks++;
    return this.verifier.verify(signed.sig, Buffer.from(signed.id, "hex"), signed.change.author);
  }

  /** The verifier `prepareBatch` uses: large rounds in the pool when `pooled` and there is one. */
  forBatch(pooled: boolean): BatchVerifier {
    const pool = pooled ? this.pool : undefined;
    return { here: (s) => this.here(s), pool: pool ? (signed) => this.inPool(pool, signed) : null };
  }

  /** Received changes waiting their turn: each batch's author heads verified in the pool meanwhile (no pool: nothing). */
  precheck(batches: readonly (readonly Uint8Array[])[], workspace: string): Promise<void> {
    return this.prechecks?.batches(batches, workspace) ?? Promise.resolve();
  }

  private async inPool(pool: VerifyPool, signed: readonly SignedChange[]): Promise<boolean[]> {
    this.checks += signed.length;
    try {
      return await pool.verifyMany(signed.map((v) => ({ sig: v.sig, msg: Buffer.from(v.id, "hex"), key: Buffer.from(v.change.author, "hex") })));
    } catch (err) {
      this.logger.warn("crdt: verify workers failed; verifying in this thread", { err });
      return signed.map((v) => this.verifier.verify(v.sig, Buffer.from(v.id, "hex"), v.change.author));
    }
  }
}

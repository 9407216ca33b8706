/**
 * The first half of a replica's receive: the batch's per-author-head
 * authentication (`authenticationSteps`), with each round's signature
 * checks run where they cost least. A round of fewer than
 * `POOL_MIN_CHECKS` checks — an honest chunk's heads, about one per author
 * — runs in this thread and the whole preparation returns synchronously:
 * the pool's round trip costs more than those few checks (measured,
 * docs/PROTOCOL.md). A larger round — a hostile batch's individual checks —
 * goes to the worker pool, so it never blocks the event loop.
 *
 * A change accepted on a voucher's word that will end pending must stand
 * on its own signature (`batchAuth.ts`); finding that out at the end of the
 * transaction costs a roll-back and a re-run, so the vouched entries that a
 * missing dep (not held, not in the batch, or such an entry's descendant)
 * will keep queued get their own check here, in the same rounds. Only the
 * cost changes: a check that verifies makes the entry stand on its own, one
 * that fails leaves it to its vouchers, exactly as without it.
 *
 * Invariants: the outcome is the same on either path (the pool runs the
 * pinned rule, `VerifyPool`); nothing here writes the store.
 */
import type { SignedChange } from "./Change";
import { authenticationSteps, type Authentication } from "./authenticateBatch";
import { settleAuth, signedAt, type BatchAuth, type Decoded } from "./batchAuth";

/** A batch decoded and authenticated, ready for `Replica.applyPrepared` (one transaction). */
export interface PreparedBatch {
  readonly decoded: readonly Decoded[];
  readonly auth: BatchAuth;
}

/** Rounds with fewer checks than this verify in this thread (see the header). */
export const POOL_MIN_CHECKS = 16;

export interface BatchVerifier {
  /** One check in this thread. */
  here(signed: SignedChange): boolean;
  /** Many checks in worker threads; null without a pool. */
  pool: ((signed: readonly SignedChange[]) => Promise<boolean[]>) | null;
}

export function prepareBatch(decoded: readonly Decoded[], auth: BatchAuth, verifier: BatchVerifier, held: (id: string) => boolean): PreparedBatch | Promise<PreparedBatch> {
  if (auth.entries.length === 0) return { decoded, auth };
  const steps = withQueuedChecks(auth, held);
  const run = (answer: boolean[] | undefined): PreparedBatch | Promise<PreparedBatch> => {
    let step = answer === undefined ? steps.next() : steps.next(answer);
    while (!step.done) {
      const signed = step.value.map((k) => signedAt(decoded, auth, k));
      const pool = verifier.pool;
      if (pool !== null && signed.length >= POOL_MIN_CHECKS) return pool(signed).then(run);
      step = steps.next(signed.map((s) => verifier.here(s)));
    }
    settleAuth(auth, step.value);
    return { decoded, auth };
  };
  return run(undefined);
}

/** The authentication rounds, then one more: own checks for vouched entries a missing dep keeps queued. */
function* withQueuedChecks(auth: BatchAuth, held: (id: string) => boolean): Generator<number[], Authentication, boolean[]> {
  const result = yield* authenticationSteps(auth.entries);
  const { inBatchDeps, order } = result.graph;
  const queued = new Array<boolean>(auth.entries.length).fill(false);
  const todo: number[] = [];
  for (const k of order) {
    const entry = auth.entries[k]!;
    const inBatch = inBatchDeps[k]!; // a change has a few deps: scanned, no Set per entry
    queued[k] = inBatch.some((d) => queued[d]) || entry.deps.some((d) => !inBatch.some((j) => auth.entries[j]!.id === d) && !held(d));
    if (queued[k] && result.authentic[k] && result.verifiedOk[k] === undefined) todo.push(k);
  }
  if (todo.length === 0) return result;
  const answers = yield todo;
  todo.forEach((k, i) => (result.verifiedOk[k] = answers[i] === true));
  return { ...result, verified: result.verified + todo.length };
}

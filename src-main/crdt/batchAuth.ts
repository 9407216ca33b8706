/**
 * The replica's side of per-author-head authentication
 * (`authenticateBatch`, docs/PROTOCOL.md "Authentication by author heads"):
 * which inputs of a batch take part, the vouched changes whose every voucher
 * was rejected (the batch re-runs with them on their own signatures), and
 * the late-ancestor case (a queued change by the same author vouches).
 *
 * Invariants: reads the store only; decides from the batch's bytes and
 * what the store holds, like the rest of validity.
 */
import type { SignedChange } from "./Change";
import { decodeChange } from "./changeCodec";
import { vouch, type Authentication, type BatchEntry } from "./authenticateBatch";
import type { ReplicaStore } from "./ReplicaStore";

/** Pending changes looked at when a change's own signature fails (see `endorsedByPending`). */
const ENDORSEMENT_LOOKUP = 256;

export type Decoded = { ok: true; value: SignedChange } | { ok: false; reason: string };

/** A batch's authentication: per input, true/false, or undefined when the input needs none (undecodable, known). */
export interface BatchAuth {
  perInput: (boolean | undefined)[];
  /** Input index of each authenticated entry. */
  inputOf: number[];
  entries: BatchEntry[];
  result: Authentication | null;
}

/** Thrown inside a batch's transaction to roll it back and re-run it with fewer vouched changes. */
export class Revouch extends Error {
  constructor(readonly inputs: number[]) {
    super("re-run the batch: a vouching change was rejected");
  }
}

/**
 * The inputs that take part in per-author-head authentication
 * (`authenticateBatch`): those new here. A known or undecodable one needs
 * no signature check.
 */
export function batchCandidates(decoded: readonly Decoded[], workspace: string, store: ReplicaStore): BatchAuth {
  const auth: BatchAuth = { perInput: new Array<boolean | undefined>(decoded.length).fill(undefined), inputOf: [], entries: [], result: null };
  const seen = new Set<string>();
  decoded.forEach((d, i) => {
    if (!d.ok) return;
    const { id, change } = d.value;
    if (change.workspace !== workspace || seen.has(id) || store.hasChange(id) || store.hasPending(id)) return;
    seen.add(id);
    auth.inputOf.push(i);
    auth.entries.push({ id, author: change.author, deps: change.deps });
  });
  return auth;
}

/** The change of authenticated entry k. */
export function signedAt(decoded: readonly Decoded[], auth: BatchAuth, k: number): SignedChange {
  return (decoded[auth.inputOf[k]!] as { ok: true; value: SignedChange }).value;
}

export function settleAuth(auth: BatchAuth, result: Authentication): void {
  auth.result = result;
  result.authentic.forEach((ok, k) => (auth.perInput[auth.inputOf[k]!] = ok));
}

/**
 * Inputs accepted only because a same-author change of the batch vouched
 * for them, when every such voucher was then rejected (a dishonest author
 * can sign a causally invalid change): a replica that never sees the
 * voucher must decide the same, so they must stand on their own signature.
 */
export function orphanedVouches(auth: BatchAuth, results: readonly { status: string }[]): number[] {
  const r = auth.result;
  if (r === null) return [];
  const kept = r.verifiedOk.map((ok, k) => (ok === true && results[auth.inputOf[k]!]!.status === "rejected" ? undefined : ok));
  if (kept.every((ok, k) => ok === r.verifiedOk[k])) return [];
  const still = vouch(auth.entries, r.graph, kept);
  const orphans: number[] = [];
  r.authentic.forEach((ok, k) => {
    const status = results[auth.inputOf[k]!]!.status;
    if (ok && !still[k] && r.verifiedOk[k] === undefined && (status === "applied" || status === "pending")) orphans.push(auth.inputOf[k]!);
  });
  return orphans;
}

/**
 * A change whose own signature fails is still authentic when a queued
 * change by the same author has it in its past (the vouching rule, for a
 * change that arrives after its voucher: every queued change was
 * authenticated when it was queued). Looks at a bounded number of queued
 * dependents; only a failing signature pays for it.
 */
export function endorsedByPending(store: ReplicaStore, signed: SignedChange): boolean {
  const todo = [signed.id];
  const seen = new Set<string>(todo);
  let looked = 0;
  while (todo.length > 0 && looked < ENDORSEMENT_LOOKUP) {
    for (const waiting of store.pendingWaitingOn(todo.pop()!)) {
      if (seen.has(waiting) || looked++ >= ENDORSEMENT_LOOKUP) continue;
      seen.add(waiting);
      const entry = store.getPending(waiting);
      const d = entry ? decodeChange(entry.bytes) : undefined;
      if (d?.ok !== true) continue;
      if (d.value.change.author === signed.change.author) return true;
      todo.push(waiting);
    }
  }
  return false;
}

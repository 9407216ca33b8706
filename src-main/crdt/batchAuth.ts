/**
 * The replica's side of per-author-head authentication
 * (`authenticateBatch`, docs/PROTOCOL.md "Authentication by author heads"):
 * which inputs of a batch take part, the queued changes that may vouch for
 * them, and the end-of-transaction check that makes the rule deterministic:
 *
 * > A change D by author X is authentic iff its own signature verifies, or
 * > a change V by X whose own signature verifies has D in its hash past AND
 * > V is applied.
 *
 * Within one `receiveBatch` transaction the vouchers are the batch's
 * verified changes plus every queued (pending) change above an input — the
 * COMPLETE upward walk through the pending queue, memoized per batch, so it
 * is linear in the queue, which its limits bound. Vouching is provisional:
 * at the end of the transaction each input accepted on a voucher's word
 * (applied, or queued) must have a voucher that ended APPLIED in this same
 * transaction; the inputs that do not are rolled back and re-run on their
 * own signature (`failedVouches`, `Replica.applyBatch`).
 *
 * Invariants: reads the store only; decides from the batch's bytes and what
 * the store holds, like the rest of validity. Every queued change stood on
 * its own signature (a vouched input that ends pending fails the check and
 * is re-run on its own signature), so a queued change is a verified voucher
 * without another check.
 */
import type { SignedChange } from "./Change";
import { decodeChange } from "./changeCodec";
import { batchGraph, vouch, type Authentication, type BatchEntry, type BatchGraph } from "./authenticateBatch";
import type { ReplicaStore } from "./ReplicaStore";

export type Decoded = { ok: true; value: SignedChange } | { ok: false; reason: string };

/** A batch's authentication: per input, true/false, or undefined when the input needs none (undecodable, known). */
export interface BatchAuth {
  perInput: (boolean | undefined)[];
  /** Input index of each authenticated entry. */
  inputOf: number[];
  entries: BatchEntry[];
  result: Authentication | null;
  /** The store's `writeMark` when the candidates were looked up: while it holds, they are still new. */
  mark: string;
}

/** Thrown inside a batch's transaction to roll it back and re-run it with these entries on their own signatures. */
export class Revouch extends Error {
  constructor(readonly entries: number[]) {
    super("re-run the batch: changes accepted on a voucher's word have no applied voucher");
  }
}

/**
 * The inputs that take part in per-author-head authentication
 * (`authenticateBatch`): those new here. A known or undecodable one needs
 * no signature check.
 */
export function batchCandidates(decoded: readonly Decoded[], workspace: string, store: ReplicaStore): BatchAuth {
  const auth: BatchAuth = { perInput: new Array<boolean | undefined>(decoded.length).fill(undefined), inputOf: [], entries: [], result: null, mark: store.writeMark() };
  const seen = new Set<string>();
  const lookups = (): void =>
    decoded.forEach((d, i) => {
      if (!d.ok) return;
      const { id, change } = d.value;
      if (change.workspace !== workspace || seen.has(id) || store.hasChange(id) || store.hasPending(id)) return;
      seen.add(id);
      auth.inputOf.push(i);
      auth.entries.push({ id, author: change.author, deps: change.deps });
    });
  // Answers re-checked in the transaction unless the mark (taken above) still holds (`Replica.applyBatch`).
  if (store.reading) store.reading(lookups);
  else lookups();
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
 * The batch's entries followed by every queued change above them (the
 * complete upward walk through the pending queue, each queued change
 * visited once), with the signatures known so far: the batch's checks, and
 * true for a queued change (it was queued on its own signature).
 */
export interface Vouching {
  entries: BatchEntry[];
  graph: BatchGraph;
  verifiedOk: (boolean | undefined)[];
  /** Batch entries no longer vouched for: they stand on their own signature (grows each re-run). */
  ownOnly: Set<number>;
}

export function vouchingOf(auth: BatchAuth, store: ReplicaStore, workspace: string): Vouching {
  const entries = [...auth.entries];
  const verifiedOk: (boolean | undefined)[] = auth.result ? [...auth.result.verifiedOk] : entries.map(() => undefined);
  if (entries.length > 0 && store.pendingSize().count > 0) {
    const seen = new Set(entries.map((e) => e.id));
    const todo = entries.map((e) => e.id);
    while (todo.length > 0) {
      for (const waiting of store.pendingWaitingOn(todo.pop()!)) {
        if (seen.has(waiting)) continue;
        seen.add(waiting);
        const entry = store.getPending(waiting);
        const d = entry ? decodeChange(entry.bytes, workspace) : undefined;
        if (d?.ok !== true) continue;
        entries.push({ id: waiting, author: d.value.change.author, deps: d.value.change.deps });
        verifiedOk.push(true);
        todo.push(waiting);
      }
    }
  }
  return { entries, graph: entries.length === auth.entries.length && auth.result ? auth.result.graph : batchGraph(entries), verifiedOk, ownOnly: new Set() };
}

/** authentic[k] for the batch's entries this round: vouched by any verified change above it, unless it must stand alone. */
export function provisional(v: Vouching, batchSize: number): boolean[] {
  const all = vouch(v.graph, v.verifiedOk);
  const out: boolean[] = [];
  for (let k = 0; k < batchSize; k++) out.push(v.ownOnly.has(k) ? v.verifiedOk[k] === true : all[k]!);
  return out;
}

/**
 * Batch entries accepted this round on a voucher's word (their own
 * signature failed or was not checked) that ended applied or queued
 * without any voucher that ended applied in this transaction.
 */
export function failedVouches(v: Vouching, authentic: readonly boolean[], appliedNow: (id: string) => boolean, pendingNow: (id: string) => boolean): number[] {
  const kept = v.verifiedOk.map((ok, k) => ok === true && appliedNow(v.entries[k]!.id));
  const still = vouch(v.graph, kept);
  const failed: number[] = [];
  authentic.forEach((ok, k) => {
    if (!ok || v.verifiedOk[k] === true || still[k]) return;
    const id = v.entries[k]!.id;
    if (appliedNow(id) || pendingNow(id)) failed.push(k);
  });
  return failed;
}

/**
 * "Is change X in the causal past of a change with these deps?" — answered
 * from indexes, never by walking history per question (design invariant 8:
 * applying changes is never super-linear, even for an equivocating author).
 *
 * Every change carries `vec`, the highest seq per author in its causal past.
 * For X by author A at seq s:
 * - if vec[A] < s, X is not in the past;
 * - if X is the only applied change at (A, s), it is: the past holds A's
 *   whole chain 1..vec[A] (the seq rule), and the only candidate for slot
 *   (A, s) is X. O(1);
 * - if A equivocated at s (several changes at (A, s)), we need WHICH of them
 *   the past holds. `slotReach(N, A, s)` = the A-changes at seq s in
 *   past(N) ∪ {N}: {N} itself when N is at (A, s) (its past cannot hold
 *   another: its seq is one above A's highest in its past), ∅ when
 *   vec_N[A] < s, else the union over N's deps. Past sets are immutable, so
 *   answers are memoized per (N, A, s) for good; a chain of k changes built
 *   on a fork costs O(k) in all, not O(k²) (the old clock-pruned walk).
 *   The memo is bounded; an evicted answer is recomputed, never wrong.
 * - "only applied change at (A, s)" is known without a store query when A
 *   never equivocated here: `forkers` holds a SUPERSET of the store's
 *   equivocators (read from it at the start of every replica transaction,
 *   grown when one is flagged; a rolled-back flag only leaves an extra
 *   name, which costs the query, never a wrong answer).
 */
import type { ReplicaStore } from "./ReplicaStore";

const MEMO_LIMIT = 200_000;
const NONE: readonly string[] = [];

export class CausalPast {
  private readonly memo = new Map<string, readonly string[]>();
  /** Authors that may hold several changes at one seq here (null: read from the store when first needed). */
  private forkers: Set<string> | null = null;

  constructor(private readonly store: ReplicaStore) {}

  /** Re-reads the equivocators at the next question (call when a transaction starts: another connection may have written). */
  refresh(): void {
    this.forkers = null;
  }

  /** `author` was just flagged as an equivocator (possibly in a transaction that may still roll back). */
  noteEquivocator(author: string): void {
    this.forkers?.add(author);
  }

  private mayFork(author: string): boolean {
    this.forkers ??= new Set(this.store.equivocators());
    return this.forkers.has(author);
  }

  /** Whether applied change `x` is in the causal past of a change with `deps` whose seq vector is `vec`. */
  contains(deps: readonly string[], vec: Readonly<Record<string, number>>, x: string): boolean {
    const meta = this.store.getChangeMeta(x);
    if (!meta) return false;
    if ((vec[meta.author] ?? 0) < meta.seq) return false;
    if (!this.mayFork(meta.author) || this.store.changesBySeq(meta.author, meta.seq).length <= 1) return true;
    return deps.some((d) => this.slotReach(d, meta.author, meta.seq).includes(x));
  }

  /** Whether `x` is one of `tips` or in the causal past of one of them (all applied). */
  heldBy(tips: readonly string[], x: string): boolean {
    if (tips.includes(x)) return true;
    const vec: Record<string, number> = {};
    for (const t of tips) {
      const meta = this.store.getChangeMeta(t);
      if (!meta) return false;
      for (const a in meta.vec) if ((vec[a] ?? 0) < meta.vec[a]!) vec[a] = meta.vec[a]!;
    }
    return this.contains(tips, vec, x);
  }

  /** The changes at (author, seq) in past(start) ∪ {start}; iterative, so a long chain cannot overflow the stack. */
  private slotReach(start: string, author: string, seq: number): readonly string[] {
    const key = (id: string): string => `${id}|${author}|${seq}`;
    const known = this.memo.get(key(start));
    if (known) return known;
    const found = new Map<string, readonly string[]>();
    const lookup = (id: string): readonly string[] | undefined => found.get(id) ?? this.memo.get(key(id));
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1]!;
      if (lookup(id)) {
        stack.pop();
        continue;
      }
      const meta = this.store.getChangeMeta(id);
      if (!meta || (meta.vec[author] ?? 0) < seq) {
        found.set(id, NONE);
        stack.pop();
        continue;
      }
      if (meta.author === author && meta.seq === seq) {
        found.set(id, [id]);
        stack.pop();
        continue;
      }
      const todo = meta.deps.filter((d) => !lookup(d));
      if (todo.length > 0) {
        stack.push(...todo);
        continue;
      }
      const union = new Set<string>();
      for (const d of meta.deps) for (const r of lookup(d)!) union.add(r);
      found.set(id, union.size === 0 ? NONE : [...union].sort());
      stack.pop();
    }
    for (const [id, reach] of found) this.remember(key(id), reach);
    return found.get(start)!;
  }

  private remember(key: string, reach: readonly string[]): void {
    if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, reach);
  }
}

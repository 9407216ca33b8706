/**
 * Which changes of a received batch are authentic (written by their claimed
 * author), checking as few Ed25519 signatures as the hash DAG allows.
 *
 * The argument (docs/PROTOCOL.md, "Authentication by author heads"): a
 * change's id is SHA-256 of its body, the body names its deps' ids, and the
 * signature covers the id. So a valid signature by X on change h commits X
 * to h's whole causal past, byte for byte. An honest X only ever signs a
 * change whose past it holds and has authenticated; a dishonest X could have
 * signed each X-change of that past itself. Either way every change *by X*
 * in the past of a change X validly signed is X's: we call it vouched.
 * Nothing is vouched for another author: Y's signature proves nothing about
 * a change "by X" that Y cites (Y could have forged it).
 *
 * Here (pure, per batch): a change by X is provisionally authentic iff its
 * own signature verifies, or it is in the in-batch causal past of a validly
 * signed change by X. The full rule adds "and that voucher ends applied";
 * the replica enforces it in the batch's transaction (`batchAuth.ts`). Ids are always
 * recomputed from the bytes (never taken from a sender), so "in the past"
 * means "its hash is named by a dep chain" and a tampered ancestor simply
 * has another id and is not in anybody's past.
 *
 * Work: round 1 verifies every author's heads in the batch (an X-change that
 * no other X-change of the batch has in its past — one per branch of an
 * equivocator, one per author otherwise); the vouching then flows down the
 * in-batch deps. Only when a head fails (a bad signature, an attack) does
 * round 2 verify individually every change left unvouched. So an honest
 * batch costs one verify per author per branch, a hostile one at most one
 * verify per change (what verifying everything costs).
 *
 * Invariants: pure (no store, no clock); the result depends only on the
 * batch's bytes; O(batch × authors in the batch) memory and time.
 */

export interface BatchEntry {
  id: string;
  author: string;
  deps: readonly string[];
}

/** Verifies the signatures of the given entries (by index into the batch); one boolean per index. */
export type VerifyMany = (indexes: readonly number[]) => boolean[];

export interface Authentication {
  /** authentic[i]: entry i is proven to be by its author. */
  authentic: boolean[];
  /** verifiedOk[i]: entry i's own signature was checked (true/false), or undefined if it was not needed. */
  verifiedOk: (boolean | undefined)[];
  graph: BatchGraph;
  /** Signatures checked (rounds 1 and 2): what the batch cost. */
  verified: number;
}

/**
 * The in-batch structure: deps inside the batch, a topological order
 * (ancestors first), and each entry's author as a small number (`author`,
 * below `authors`): sets of authors are bitmasks of `words` 32-bit words per
 * entry, not a Set per entry (four passes per batch made them a large share
 * of a catch-up's garbage).
 */
export interface BatchGraph {
  inBatchDeps: number[][];
  order: number[];
  author: Int32Array;
  words: number;
}

/** Per-entry author sets as bitmasks (`BatchGraph`). */
class AuthorSets {
  readonly bits: Uint32Array;
  constructor(
    entries: number,
    private readonly words: number,
  ) {
    this.bits = new Uint32Array(entries * words);
  }
  has(i: number, author: number): boolean {
    return (this.bits[i * this.words + (author >>> 5)]! & (1 << (author & 31))) !== 0;
  }
  add(i: number, author: number): void {
    this.bits[i * this.words + (author >>> 5)]! |= 1 << (author & 31);
  }
  /** Adds every author of `from` to `to`. */
  addAll(to: number, from: number): void {
    for (let k = 0, a = to * this.words, b = from * this.words; k < this.words; k++) this.bits[a + k]! |= this.bits[b + k]!;
  }
}

export function batchGraph(entries: readonly BatchEntry[]): BatchGraph {
  const authors = new Map<string, number>();
  const author = new Int32Array(entries.length);
  entries.forEach((e, i) => {
    let a = authors.get(e.author);
    if (a === undefined) authors.set(e.author, (a = authors.size));
    author[i] = a;
  });
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!index.has(e.id)) index.set(e.id, i);
  });
  const inBatchDeps = entries.map((e) => {
    const out: number[] = [];
    for (const d of e.deps) {
      const j = index.get(d);
      if (j !== undefined) out.push(j);
    }
    return out;
  });
  // Iterative DFS post-order: ancestors before descendants. Hash links cannot form a cycle,
  // but a `seen` guard makes a (forged) cycle harmless anyway.
  const order: number[] = [];
  const state = new Uint8Array(entries.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < entries.length; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = inBatchDeps[top[0]]!;
      if (top[1] < deps.length) {
        const d = deps[top[1]++]!;
        if (state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        }
        continue;
      }
      state[top[0]] = 2;
      order.push(top[0]);
      stack.pop();
    }
  }
  return { inBatchDeps, order, author, words: Math.max(1, Math.ceil(authors.size / 32)) };
}

/**
 * The algorithm as steps: yields the entry indexes whose signatures it
 * needs, is resumed with their results, returns the authentication. One
 * algorithm for a synchronous verifier (`authenticateBatch`) and for one
 * that runs in worker threads (`prepareBatch`).
 */
export function* authenticationSteps(entries: readonly BatchEntry[]): Generator<number[], Authentication, boolean[]> {
  const n = entries.length;
  const graph = batchGraph(entries);
  // Round 1: heads = changes no same-author change of the batch has in its past.
  const below = reachBelow(graph);
  const heads: number[] = [];
  for (let i = 0; i < n; i++) if (!below.has(i, graph.author[i]!)) heads.push(i);
  const verifiedOk = new Array<boolean | undefined>(n).fill(undefined);
  const first = heads.length > 0 ? yield heads : [];
  heads.forEach((i, k) => (verifiedOk[i] = first[k] === true));
  let verified = heads.length;

  let authentic = vouch(graph, verifiedOk);
  // Round 2: only when a head failed — verify one by one what nothing vouched for.
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (!authentic[i] && verifiedOk[i] === undefined) rest.push(i);
  if (rest.length > 0) {
    const second = yield rest;
    rest.forEach((i, k) => (verifiedOk[i] = second[k] === true));
    verified += rest.length;
    authentic = vouch(graph, verifiedOk);
  }
  return { authentic, verifiedOk, graph, verified };
}

export function authenticateBatch(entries: readonly BatchEntry[], verifyMany: VerifyMany): Authentication {
  const steps = authenticationSteps(entries);
  let step = steps.next();
  while (!step.done) step = steps.next(verifyMany(step.value));
  return step.value;
}

/** For each entry, the authors of the batch changes that have it in their past (descendants to ancestors). */
function reachBelow({ inBatchDeps, order, author, words }: BatchGraph): AuthorSets {
  const below = new AuthorSets(author.length, words);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    for (const d of inBatchDeps[i]!) {
      below.addAll(d, i);
      below.add(d, author[i]!);
    }
  }
  return below;
}

/**
 * authentic[i] = its own signature verified, or vouched by an authentic
 * same-author descendant in the batch (exported: the replica re-runs it
 * with only the vouchers that were applied, see `Replica.receiveBatch`).
 */
export function vouch({ inBatchDeps, order, author, words }: BatchGraph, verifiedOk: readonly (boolean | undefined)[]): boolean[] {
  const authentic = new Array<boolean>(author.length).fill(false);
  const vouchedBy = new AuthorSets(author.length, words);
  // Descendants first: when i is visited, everything that has it in its past has been.
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    authentic[i] = verifiedOk[i] === true || vouchedBy.has(i, author[i]!);
    for (const d of inBatchDeps[i]!) {
      vouchedBy.addAll(d, i);
      if (authentic[i]) vouchedBy.add(d, author[i]!);
    }
  }
  return authentic;
}

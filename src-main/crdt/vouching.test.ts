/**
 * The vouching rule is deterministic (docs/PROTOCOL.md, "Authentication by
 * author heads"): a change D by X is authentic iff its own signature
 * verifies, or a change V by X whose own signature verifies has D in its
 * hash past AND V is applied. What a replica ends with depends on the set
 * of changes it was given (re-sent until nothing more applies, as `need`
 * does), never on their order or on how they were split into batches.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Replica } from "./Replica";
import { shuffled, testIdentity } from "../../test/support/crdt/testKit";
import { badSig, chainOf, create, fresh, idOf, signedBy } from "../../test/support/crdt/dishonestKit";

const statuses = (r: Replica, batch: Uint8Array[]): string[] => r.receiveBatch(batch).map((x) => x.status);

/** Delivers `changes` in `batches` (sizes) in order, then re-sends what is still missing until nothing more applies. */
function deliver(r: Replica, changes: readonly Uint8Array[], batches: readonly number[] = [changes.length]): void {
  let at = 0;
  for (const n of batches) {
    if (at >= changes.length) break;
    r.receiveBatch(changes.slice(at, at + Math.max(1, n)));
    at += Math.max(1, n);
  }
  if (at < changes.length) r.receiveBatch(changes.slice(at));
  for (let round = 0; round < changes.length; round++) {
    // One at a time, in the given order: the slowest healing a `need` loop could offer.
    let progressed = false;
    for (const c of changes) if (!r.hasChange(idOf(c)) && r.receive(c).applied.length > 0) progressed = true;
    if (!progressed) return;
  }
}

const appliedOf = (r: Replica, all: readonly Uint8Array[]): string[] => all.map(idOf).filter((id) => r.hasChange(id)).sort();

/**
 * A history with dishonest changes by four authors:
 * - X: x0, x1 (broken signature), x2 signed over x1 and VALID → x1 is X's;
 * - Z: z0, z1 (broken), and zBad signed over z1 but INVALID (seq 7) → z1 is nobody's;
 * - W: w1 (broken) cited by W's valid w2 and by an invalid wBad → w1 is W's (w2 applies);
 * - Y (honest) builds on x2, and on z1 (so y2 never applies, wherever it goes).
 */
function dishonestHistory(): { all: Uint8Array[]; applied: string[]; never: string[] } {
  const [x, z, w, y] = [0, 1, 2, 3].map((i) => testIdentity(i)) as [ReturnType<typeof testIdentity>, ReturnType<typeof testIdentity>, ReturnType<typeof testIdentity>, ReturnType<typeof testIdentity>];
  const x0 = signedBy(x, { seq: 1, deps: [], wall: 10, ops: [create("x0")] });
  const x1good = signedBy(x, { seq: 2, deps: [idOf(x0)], wall: 11, ops: [create("x1")] });
  const x2 = signedBy(x, { seq: 3, deps: [idOf(x1good)], wall: 12 });
  const z0 = signedBy(z, { seq: 1, deps: [], wall: 10, ops: [create("z0")] });
  const z1good = signedBy(z, { seq: 2, deps: [idOf(z0)], wall: 11, ops: [create("z1")] });
  const zBad = signedBy(z, { seq: 7, deps: [idOf(z1good)], wall: 12 });
  const w1good = signedBy(w, { seq: 1, deps: [], wall: 10, ops: [create("w1")] });
  const w2 = signedBy(w, { seq: 2, deps: [idOf(w1good)], wall: 11 });
  const wBad = signedBy(w, { seq: 9, deps: [idOf(w1good)], wall: 12 });
  const y1 = signedBy(y, { seq: 1, deps: [idOf(x2)], wall: 13, ops: [create("y1")] });
  const y2 = signedBy(y, { seq: 2, deps: [idOf(y1), idOf(z1good)], wall: 14 });
  const x1 = badSig(x1good);
  const z1 = badSig(z1good);
  const w1 = badSig(w1good);
  const all = [x0, x1, x2, z0, z1, zBad, w1, w2, wBad, y1, y2];
  return { all, applied: [x0, x1, x2, z0, w1, w2, y1].map(idOf).sort(), never: [z1, zBad, wBad, y2].map(idOf) };
}

describe("deterministic vouching", () => {
  it("a broken D with a causally invalid voucher V: rejected in one batch, in every order, and in every split", () => {
    const x = testIdentity(0);
    const [first] = chainOf(0, 1) as [Uint8Array];
    const d = badSig(first);
    const v = signedBy(x, { seq: 5, deps: [idOf(first)], wall: 9_000 });
    const orders: Uint8Array[][][] = [[[d, v]], [[v, d]], [[d], [v]], [[v], [d]], [[v], [d], [v], [d]]];
    for (const order of orders) {
      const r = fresh();
      for (const batch of order) r.receiveBatch(batch);
      expect(r.hasChange(idOf(d))).toBe(false);
      expect(r.hasChange(idOf(v))).toBe(false);
    }
  });

  it("a voucher rejected in the batch does not hide a queued voucher that applies: D is accepted in every order", () => {
    const x = testIdentity(0);
    const chain = chainOf(0, 3);
    const d = badSig(chain[1]!);
    const invalid = signedBy(x, { seq: 9, deps: [idOf(chain[1]!)], wall: 9_000 });
    const orders: Uint8Array[][][] = [
      [[chain[0]!], [chain[2]!], [d, invalid]],
      [[chain[0]!, chain[2]!, invalid, d]],
      [[chain[2]!], [invalid], [chain[0]!], [d]],
    ];
    for (const order of orders) {
      const r = fresh();
      for (const batch of order) r.receiveBatch(batch);
      expect(r.hasChange(idOf(d))).toBe(true);
      expect(r.hasChange(idOf(chain[2]!))).toBe(true);
      expect(r.hasChange(idOf(invalid))).toBe(false);
    }
  });

  it("a broken D before its voucher is rejected; re-sent once the voucher waits for it, it is accepted", () => {
    const chain = chainOf(0, 3);
    const r = fresh();
    expect(statuses(r, [chain[0]!, badSig(chain[1]!)])).toEqual(["applied", "rejected"]);
    expect(statuses(r, [chain[2]!])).toEqual(["pending"]);
    const again = r.receive(badSig(chain[1]!));
    expect(again.status).toBe("applied");
    expect(again.applied).toEqual([idOf(chain[1]!), idOf(chain[2]!)]);
  });

  it("a broken D whose queued voucher cannot apply yet (another dep missing) stands alone, then is accepted when it can", () => {
    const x = testIdentity(0);
    const other = chainOf(1, 1)[0]!;
    const chain = chainOf(0, 2);
    // V by X over D and over a change by someone else that has not arrived.
    const v = signedBy(x, { seq: 3, deps: [idOf(chain[1]!), idOf(other)], wall: 50_000 });
    const r = fresh();
    expect(statuses(r, [chain[0]!, v])).toEqual(["applied", "pending"]);
    expect(statuses(r, [badSig(chain[1]!)])).toEqual(["rejected"]);
    expect(statuses(r, [other])).toEqual(["applied"]);
    expect(statuses(r, [badSig(chain[1]!)])).toEqual(["applied"]);
    expect(r.hasChange(idOf(v))).toBe(true);
  });

  it("two dishonest authors (nested vouching): every order and split ends with the same applied set", () => {
    const h = dishonestHistory();
    const reference = fresh();
    deliver(reference, h.all);
    expect(appliedOf(reference, h.all)).toEqual(h.applied);
    for (const id of h.never) expect(reference.hasChange(id)).toBe(false);
    const reversed = fresh();
    deliver(reversed, [...h.all].reverse(), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(appliedOf(reversed, h.all)).toEqual(h.applied);
  });

  it("property: random delivery orders and splits of a dishonest history end with the same applied set", () => {
    const h = dishonestHistory();
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 11 }), (seed, splits) => {
        const r = fresh();
        deliver(r, shuffled(h.all, seed), splits);
        expect(appliedOf(r, h.all)).toEqual(h.applied);
      }),
      { numRuns: 150 },
    );
  });
});

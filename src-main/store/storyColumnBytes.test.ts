/**
 * The story row is on disk (schema v5, no migration): the current encoder
 * writes exactly the bytes the previous one did (test/support/
 * storyColumnReference.ts, kept verbatim) for every record, and calls
 * `idxOf` in exactly the same order (it may add an author, and the idx it
 * hands out is in the bytes of this row and of every later one). Records
 * the compact form cannot hold fall back to the same JSON text.
 * Two sources: arbitrary records over shared pools of ids and authors (so
 * ids repeat across the log, registers, creators and tags, in every
 * position), and the records of random real 3-author histories.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STAGES } from "../../src-shared/stages";
import type { Stamp } from "../crdt/Hlc";
import { identityFromSeed } from "../crdt/Identity";
import type { Lww } from "../crdt/MvRegister";
import type { Placement, StoryRecord } from "../crdt/StoryRecord";
import { testNode } from "../../test/support/crdt/testKit";
import { referenceStoryEncode } from "../../test/support/storyColumnReference";
import { storyColumn } from "./storyColumn";

const sha = (s: string): string => createHash("sha256").update(s).digest("hex");
const IDS = Array.from({ length: 90 }, (_, i) => sha(`change ${i}`));
const AUTHORS = [...Array.from({ length: 5 }, (_, i) => sha(`author ${i}`)), "a key that is not hex"];
/** Ids the compact form cannot hold (each must send the record to JSON). */
const BAD_IDS = ["c1", IDS[0]!.toUpperCase(), IDS[1]!.slice(1), `${IDS[2]!.slice(0, 63)}g`, `${IDS[3]!.slice(0, 63)}\u0130`, `${IDS[4]!.slice(0, 63)}š`, "é".repeat(64), `${IDS[5]!}0`];

/**
 * A fresh in-memory authors table that logs every `idxOf` call (what the
 * store's AuthorIndex does, minus SQLite): `filler` authors no record names
 * hold idxs 0 … filler − 1 (so idxs take 2 or 3 bytes), then `known`.
 */
function authors(filler: number, known: readonly string[]): { idxOf: (key: string) => number; keyOf: (idx: number) => string; calls: string[] } {
  const keys = [...known];
  const calls: string[] = [];
  return {
    calls,
    idxOf: (key) => {
      calls.push(key);
      const at = keys.indexOf(key);
      return filler + (at >= 0 ? at : keys.push(key) - 1);
    },
    keyOf: (idx) => keys[idx - filler]!,
  };
}

/** Same bytes (or same JSON), same idxOf calls, from the same authors table; decodes back when compact. */
function expectSameAsReference(record: StoryRecord, known: readonly string[] = [], filler = 0): Buffer | string {
  const ref = authors(filler, known);
  const cur = authors(filler, known);
  const expected = referenceStoryEncode(record, ref.idxOf);
  const actual = storyColumn.encode(record, cur.idxOf);
  if (Buffer.isBuffer(expected)) {
    expect(Buffer.isBuffer(actual)).toBe(true);
    expect((actual as Buffer).toString("hex")).toBe(expected.toString("hex"));
    expect(storyColumn.decode(record.id, actual, cur.keyOf)).toStrictEqual(JSON.parse(JSON.stringify(record)));
  } else expect(actual).toBe(expected);
  expect(cur.calls).toStrictEqual(ref.calls);
  return actual;
}

/**
 * Records over arbitraries where a value the compact form cannot hold has
 * weight `bad` against 1,000 for good values (0: none), so the first defect
 * falls anywhere in the record, or nowhere.
 */
function recordArb(bad: number): fc.Arbitrary<StoryRecord> {
  const orBad = <T>(good: fc.Arbitrary<T>, worse: fc.Arbitrary<T>): fc.Arbitrary<T> => (bad === 0 ? good : fc.oneof({ weight: 1000, arbitrary: good }, { weight: bad, arbitrary: worse }));
const idArb = orBad(fc.constantFrom(...IDS), fc.constantFrom(...BAD_IDS));
const wallArb = orBad(
  fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }) },
    { weight: 3, arbitrary: fc.nat(300) },
    { weight: 2, arbitrary: fc.constantFrom(0, 127, 128, 2 ** 51 - 1, 2 ** 52, Number.MAX_SAFE_INTEGER) },
  ),
  fc.constantFrom(-1, 1.5, 2 ** 53),
);
const logicalArb = orBad(
  fc.oneof({ weight: 10, arbitrary: fc.nat(3) }, { weight: 2, arbitrary: fc.constantFrom(127, 128, 16_383, 16_384, 2 ** 35, Number.MAX_SAFE_INTEGER) }),
  fc.constantFrom(-1, 0.5),
);
const stampArb = fc.record({ wall: wallArb, logical: logicalArb, author: fc.constantFrom(...AUTHORS), id: idArb });
const strArb = orBad(
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 120, maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "n ✓ 𝄞", "é".repeat(70), "\u0000\u007f\u0080") },
  ),
  fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), fc.constantFrom("lone \ud800 surrogate", "\udc00")),
);
/** How a record refers to a stamp: one of its table's (the same object or an equal copy), or one differing under the same id. */
const useArb = fc.record({ at: fc.nat(), how: orBad(fc.constantFrom("same" as const, "same" as const, "copy" as const), fc.constant("conflict" as const)) });
const lwwArb = <T>(value: fc.Arbitrary<T>) => fc.record({ value, use: useArb, others: fc.option(fc.array(fc.record({ value, use: useArb }), { maxLength: 3 }), { nil: undefined }) });
const tagArb = fc.record({
  id: fc.oneof({ weight: 3, arbitrary: fc.nat().map((n) => ({ stamp: n })) }, { weight: 2, arbitrary: idArb.map((id) => ({ id })) }),
  n: orBad(fc.oneof(fc.nat(20).map(String), fc.constant("999999999999999")), fc.constantFrom("1000000000000000", "01", "00", "", "1a", "-1", " 1")),
});

return fc
  .record({
    stamps: fc.uniqueArray(stampArb, { minLength: 1, maxLength: 70, selector: (s) => s.id }),
    logLength: fc.option(fc.nat(), { nil: undefined }),
    logDup: fc.option(fc.nat(), { nil: undefined }),
    creators: fc.array(fc.oneof(fc.nat().map((n) => ({ stamp: n })), idArb.map((id) => ({ id }))), { maxLength: 3 }),
    name: lwwArb(strArb),
    agent: lwwArb(fc.option(strArb, { nil: null })),
    blocked: lwwArb(fc.boolean()),
    place: lwwArb(fc.record({ stage: fc.oneof(fc.constantFrom(...STAGES.map((s) => s.id)), strArb), rank: strArb })),
    retries: fc.array(fc.tuple(fc.constantFrom(...AUTHORS), fc.nat(), orBad(fc.oneof(fc.nat(), fc.constant(2 ** 40)), fc.constantFrom(-1, 0.5))), { maxLength: 4 }),
    deps: fc.array(fc.tuple(strArb, fc.array(tagArb, { maxLength: 4 })), { maxLength: 3 }),
    claims: fc.array(fc.record({ use: useArb, by: fc.option(strArb, { nil: null }) }), { maxLength: 4 }),
    hide: fc.option(fc.record({ wall: wallArb, logical: logicalArb }), { nil: null }),
    unhide: fc.option(fc.record({ wall: wallArb, logical: logicalArb }), { nil: null }),
    deleted: fc.option(useArb, { nil: null }),
    desc: fc.option(lwwArb(strArb), { nil: undefined }),
    lastDelete: fc.option(useArb, { nil: undefined }),
    undeleted: fc.option(useArb, { nil: undefined }),
  })
  .map((g): StoryRecord => {
    const stamps: Stamp[] = g.stamps;
    const stamp = (u: { at: number; how: "same" | "copy" | "conflict" }): Stamp => {
      const s = stamps[u.at % stamps.length]!;
      return u.how === "same" ? s : u.how === "copy" ? { ...s } : { ...s, logical: s.logical + 1 };
    };
    const lww = <T>(l: { value: T; use: Parameters<typeof stamp>[0]; others: { value: T; use: Parameters<typeof stamp>[0] }[] | undefined }): Lww<T> => {
      const reg: Lww<T> = { value: l.value, stamp: stamp(l.use) };
      if (l.others !== undefined) reg.others = l.others.map((o) => ({ value: o.value, stamp: stamp(o.use) }));
      return reg;
    };
    const id = (r: { stamp: number } | { id: string }): string => ("id" in r ? r.id : stamps[r.stamp % stamps.length]!.id);
    const record: StoryRecord = {
      id: "s_01090f510aea9d2a",
      creators: g.creators.map(id),
      name: lww(g.name),
      agent: lww(g.agent),
      blocked: lww(g.blocked),
      place: lww(g.place) as Lww<Placement>, // any string, as a stored record may hold
      retries: Object.fromEntries(g.retries.map(([a, p, n]) => [a, [p, n]])) as Record<string, [number, number]>,
      deps: Object.fromEntries(g.deps.map(([dep, tags]) => [dep, tags.map((t) => `${id(t.id)}.${t.n}`)])),
      claims: g.claims.map((c) => ({ stamp: stamp(c.use), by: c.by })),
      hide: g.hide,
      unhide: g.unhide,
      deleted: g.deleted === null ? null : stamp(g.deleted),
    };
    if (g.desc !== undefined) record.desc = lww(g.desc);
    if (g.lastDelete !== undefined) record.lastDelete = stamp(g.lastDelete);
    if (g.undeleted !== undefined) record.undeleted = stamp(g.undeleted);
    if (g.logLength !== undefined) {
      // The log: a prefix of the table (so some stamps are the registers' only), sometimes with a repeat.
      const log = stamps.slice(0, g.logLength % (stamps.length + 1));
      if (g.logDup !== undefined && log.length > 0) log.splice(g.logDup % log.length, 0, log[(g.logDup >> 3) % log.length]!);
      record.log = log;
    }
    return record;
  });
}

describe("storyColumn bytes", () => {
  it("writes the previous encoder's exact bytes (or JSON) and makes the same idxOf calls, for arbitrary records (3,000 runs)", () => {
    let compact = 0;
    let json = 0;
    fc.assert(
      fc.property(fc.oneof(recordArb(0), recordArb(2), recordArb(100)), fc.subarray(AUTHORS), fc.constantFrom(0, 0, 120, 20_000), (record, known, filler) => {
        if (Buffer.isBuffer(expectSameAsReference(record, known, filler))) compact++;
        else json++;
      }),
      { numRuns: 3_000 },
    );
    // Both paths were exercised in earnest.
    expect(compact).toBeGreaterThan(1_000);
    expect(json).toBeGreaterThan(500);
  });

  it("refuses a row whose varints are not in their shortest form, whatever their length", () => {
    const { idxOf, keyOf } = authors(0, []);
    const stamp = { wall: 10, logical: 0, author: AUTHORS[0]!, id: IDS[0]! };
    const rec: StoryRecord = {
      id: "s1", creators: [], name: { value: "n", stamp }, agent: { value: null, stamp }, blocked: { value: true, stamp },
      place: { value: { stage: STAGES[1]!.id, rank: "a" }, stamp }, retries: {}, deps: {}, claims: [], hide: null, unhide: null, deleted: null,
    };
    const row = storyColumn.encode(rec, idxOf) as Buffer;
    // version, 1 stamp, wall 10 (zigzag 20), logical 0 at byte 3: the same values, padded.
    expect([...row.subarray(0, 4)]).toStrictEqual([1, 1, 20, 0]);
    for (const logical of [[0x80, 0x00], [0x80, 0x80, 0x00], [0x80, 0x80, 0x80, 0x00]]) {
      const padded = Buffer.concat([row.subarray(0, 3), Buffer.from(logical), row.subarray(4)]);
      expect(() => storyColumn.decode("s1", padded, keyOf)).toThrow(/story s1: .*overlong/);
    }
    expect(storyColumn.decode("s1", row, keyOf)).toStrictEqual(rec);
  });

  it("writes the previous encoder's exact bytes for the records of random real histories", () => {
    const KINDS = ["create", "name", "desc", "agent", "blocked", "deps", "move", "retry", "claim", "release", "hide", "unhide", "delete", "restore"] as const;
    let compared = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ node: fc.nat(2), op: fc.constantFrom(...KINDS), pick: fc.nat(), arg: fc.nat(), advance: fc.nat(400_000) }), { minLength: 5, maxLength: 80 }), (steps) => {
        const nodes = [0, 1, 2].map((i) => testNode(i, { identity: identityFromSeed(new Uint8Array(32).fill(0x70 + i)) }));
        const log: Uint8Array[] = [];
        nodes.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
        for (const step of steps) {
          const node = nodes[step.node]!;
          node.clock.t += step.advance;
          const live = node.replica.stories().map((s) => s.id).sort();
          const id = live[step.pick % Math.max(1, live.length)];
          try {
            if (step.op === "create" || id === undefined) node.board.create({ name: `n${step.arg} ✓`, stage: STAGES[step.arg % STAGES.length]!.id, agent: null });
            else if (step.op === "name") node.board.update(id, { name: `name${step.arg}` });
            else if (step.op === "desc") node.board.update(id, { description: `d${step.arg % 5}` });
            else if (step.op === "agent") node.board.update(id, { agent: step.arg % 3 === 0 ? null : `agent${step.arg % 4}` });
            else if (step.op === "blocked") node.board.update(id, { blocked: step.arg % 2 === 0 });
            else if (step.op === "deps") node.board.update(id, { dependsOn: live.filter((_, i) => (step.arg >> i) & 1) });
            else if (step.op === "move") node.board.move(id, STAGES[step.arg % STAGES.length]!.id);
            else if (step.op === "retry") node.board.retry(id);
            else if (step.op === "claim") node.board.claim(id, `c${step.arg % 3}`);
            else if (step.op === "release") node.board.release(id);
            else if (step.op === "hide") node.board.hide(id);
            else if (step.op === "unhide") node.board.unhide(id);
            else if (step.op === "delete") node.board.delete(id);
            else node.board.restore(id);
          } catch {
            // A refused op (conflict, not found, already deleted) is part of a random history.
          }
          if (step.arg % 4 === 0) for (const bytes of log) nodes[(step.node + 1) % 3]!.replica.receive(bytes);
        }
        for (const node of nodes) for (const bytes of log) node.replica.receive(bytes);
        for (const record of nodes[0]!.replica.stories()) {
          expect(Buffer.isBuffer(expectSameAsReference(record))).toBe(true);
          expect(Buffer.isBuffer(expectSameAsReference(JSON.parse(JSON.stringify(record)) as StoryRecord, AUTHORS.slice(0, 2)))).toBe(true);
          compared++;
        }
      }),
      { numRuns: 80 },
    );
    expect(compared).toBeGreaterThan(150);
  });
});

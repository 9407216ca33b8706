/**
 * Differential property (issue 14, fast decoder): `decodeChange` must accept
 * exactly the byte strings the old decoder (zod over the whole change, then
 * re-encode and compare; frozen in test/support/crdt/legacyChangeDecode.ts)
 * accepts, with the same `SignedChange`. Inputs: random changes with ops of
 * every type (membership ops, arrays, maps and nested values included),
 * written by a raw encoder that can also write non-canonical forms (a 64-hex
 * string as tag 6, unsorted or duplicate map keys, overlong varints,
 * unsorted deps), and random mutations of their bytes (bit flips, byte
 * writes, truncation, insertion, deletion, trailing bytes, overlong header
 * varints, swapped or duplicated deps).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { legacyChangeDecoder } from "../../test/support/crdt/legacyChangeDecode";
import { opSamples, type OpSamples } from "../../test/support/crdt/opSamples";
import { bytesOf, HONEST, LAYOUT_KEYS, mutate, type Mutation, type RawChange, type Val } from "../../test/support/crdt/rawChangeBytes";
import { MAX_DEPS, type Op } from "./Change";
import { decodeChange } from "./changeCodec";

const WORKSPACE = "ws-diff";
const HEX_A = "a".repeat(64);
const HEX_B = "0123456789abcdef".repeat(4);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const legacyDecode = legacyChangeDecoder();

/** One valid op of every type (see opSamples). */
const SAMPLES: OpSamples = opSamples(HEX_A, HEX_B);

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex"));
const text = fc.oneof(
  fc.string({ maxLength: 24, unit: "grapheme" }),
  fc.string({ maxLength: 8, unit: "binary" }), // lone surrogates: written as U+FFFD's bytes
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.constantFrom("", "x".repeat(201), "x".repeat(501), "0".repeat(64), "A".repeat(64)),
);
/** Values at or just past the bounds of some op key (so mutated ops are often still valid, or only just not). */
const BOUNDARY_VALUES: readonly Val[] = [
  "s_2", "1_backlog", "6_archived", "7_nowhere", "a0", "a", "A00000000000000000000000000", "b10", "admin", "member", "user", "tool",
  `m_${"f".repeat(32)}`, `c_${"e".repeat(32)}`, `${HEX_B}.99999`, `${HEX_B}.100000`, "d".repeat(128), HEX_A,
  0, 1, -1, 7, -1_000_000, 1_000_001, 100_000, 100_001, 20_000, 20_001, MAX_SAFE, -MAX_SAFE, 0xffff_ffff,
  null, true, false, undefined, [], ["s_2"], [`m_${"0".repeat(32)}`], [`${HEX_A}.0`], [HEX_A], [[]], { a: 1 },
  "x".repeat(128), "x".repeat(129), "é".repeat(200), "🚀".repeat(200), "🚀".repeat(201), "🚀", "\ud800",
  Array.from({ length: 1000 }, () => "s_2"), Array.from({ length: 1001 }, () => "s_2"),
  Array.from({ length: 1000 }, () => `m_${"0".repeat(32)}`), Array.from({ length: 1001 }, () => `m_${"0".repeat(32)}`),
  "x".repeat(200), "x".repeat(256), "x".repeat(257), "x".repeat(500), "x".repeat(4096), "x".repeat(4097), "x".repeat(65_536), "x".repeat(65_537),
  "é".repeat(32_768), "é".repeat(32_769), "s:1.a-B_0", "s 1", "S/1", "a0V", "a00", "Zz", "-", `${HEX_A}.`, `${HEX_A.toUpperCase()}.0`, "e".repeat(127),
  -1_000_001, 1_000_000, 2, 99_999, 19_999, 1_700_000_000_000,
];
/** The small ones, for random changes (mutating 64 KiB values is slow and adds nothing there). */
const fieldValue = fc.constantFrom(...BOUNDARY_VALUES.filter((v) => !((typeof v === "string" || Array.isArray(v)) && v.length > 600)));
const { value: anyValue } = fc.letrec<{ value: Val }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -2_000_000, max: 2_000_000 }),
    fc.constantFrom(MAX_SAFE, -MAX_SAFE),
    text,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("__proto__", "1", "10", "é", "𝄞")), tie("value"), { maxKeys: 4 }),
  ),
}));
/** Arrays nested around the codec's bound of 8. */
const deepValue = fc.integer({ min: 6, max: 10 }).map((depth) => {
  let v: Val = "s_1";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
});

const opArb = fc
  .tuple(
    fc.constantFrom(...(Object.keys(SAMPLES) as Op["t"][])),
    fc.array(fc.tuple(fc.nat(), fc.oneof({ weight: 3, arbitrary: fieldValue }, { weight: 2, arbitrary: text }, { weight: 2, arbitrary: anyValue }, deepValue)), { maxLength: 2 }),
  )
  .map(([t, edits]) => {
    const op: Record<string, Val> = { ...SAMPLES[t] };
    const keys = LAYOUT_KEYS.get(t)!;
    for (const [at, v] of edits) if (keys.length > 0) op[keys[at % keys.length]!] = v;
    return op;
  });

const noiseArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(HONEST) },
  fc.record({ hexAsString: fc.boolean(), reverseKeys: fc.boolean(), overlongAt: fc.integer({ min: -1, max: 12 }) }),
);

const changeArb: fc.Arbitrary<RawChange> = fc.record({
  author: hex32,
  seq: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, 1, MAX_SAFE)),
  deps: fc.oneof(
    { weight: 4, arbitrary: fc.uniqueArray(hex32, { maxLength: 4 }).map((d) => d.sort()) },
    fc.array(fc.oneof(hex32, fc.constant(HEX_A)), { maxLength: 4 }),
    fc.constant(Array.from({ length: MAX_DEPS + 1 }, (_, i) => i.toString(16).padStart(64, "0"))),
  ),
  wall: fc.oneof(fc.constant(1_764_000_000_000), fc.maxSafeNat()),
  logical: fc.oneof(fc.constantFrom(0, 0xffff_ffff, 0x1_0000_0000), fc.nat()),
  ops: fc.array(opArb, { maxLength: 4 }),
  noise: noiseArb,
});

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), x: fc.constantFrom(0, 1, 5, 6, 7, 8, 9, 10, 0x7f, 0x80, 0xc3, 0xed, 0xff) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("trailing" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("overlong" as const), which: fc.nat(4) }),
  fc.constant({ kind: "swapDeps" as const }),
  fc.constant({ kind: "dupDep" as const }),
);

/** Decodes with both decoders, expects the same verdict and value; returns whether it was accepted. */
function agree(bytes: Uint8Array, workspace = WORKSPACE): boolean {
  const now = decodeChange(bytes, workspace);
  const old = legacyDecode(bytes, workspace);
  if (now.ok !== old.ok) {
    expect.fail(`new: ${now.ok ? "accepted" : now.reason}; old: ${old.ok ? "accepted" : old.reason}; workspace ${JSON.stringify(workspace)}; bytes ${Buffer.from(bytes).toString("hex")}`);
  }
  if (now.ok && old.ok) {
    // Same keys in the same order (what JSON and canonical JSON of it give), same values, same types.
    expect(JSON.stringify(now.value.change)).toBe(JSON.stringify(old.value.change));
    expect(now.value.change).toStrictEqual(old.value.change);
    expect(now.value.id).toBe(old.value.id);
    // Byte arrays compared natively (element-wise deep equality is slow), then their types.
    expect(Buffer.from(now.value.sig).equals(Buffer.from(old.value.sig))).toBe(true);
    expect(Buffer.from(now.value.bytes).equals(Buffer.from(old.value.bytes))).toBe(true);
    expect([now.value.sig.constructor, now.value.bytes.constructor]).toEqual([old.value.sig.constructor, old.value.bytes.constructor]);
    expect(now.value.bytes.buffer).not.toBe(bytes.buffer);
  }
  return now.ok;
}

describe("decodeChange agrees with the old decoder (zod + re-encode)", () => {
  it("on every op type, honestly encoded, in one change and one by one", () => {
    const base: RawChange = { author: HEX_B, seq: 300, deps: [HEX_B, HEX_A].sort(), wall: MAX_SAFE, logical: 0xffff_ffff, ops: [], noise: HONEST };
    expect(agree(bytesOf(base))).toBe(true);
    expect(agree(bytesOf({ ...base, ops: Object.values(SAMPLES) as Record<string, Val>[] }))).toBe(true);
    for (const op of Object.values(SAMPLES)) expect(agree(bytesOf({ ...base, ops: [op as Record<string, Val>] }))).toBe(true);
  });

  it("on every op type with each key set to each boundary value (lengths, bounds, enums, patterns, nullability)", () => {
    const base: RawChange = { author: HEX_B, seq: 1, deps: [], wall: 0, logical: 0, ops: [], noise: HONEST };
    let accepted = 0;
    let refused = 0;
    for (const [t, sample] of Object.entries(SAMPLES)) {
      for (const key of LAYOUT_KEYS.get(t)!) {
        for (const v of BOUNDARY_VALUES) {
          if (agree(bytesOf({ ...base, ops: [{ ...(sample as Record<string, Val>), [key]: v }] }))) accepted++;
          else refused++;
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1_000);
  });

  it("on every single-bit flip and every truncation of a change with strings, numbers, arrays, hex and membership ops", () => {
    const ops = [SAMPLES.create, SAMPLES.name, SAMPLES.count, SAMPLES.deps, SAMPLES.msg, SAMPLES.join] as Record<string, Val>[];
    const bytes = bytesOf({ author: HEX_B, seq: 2, deps: [HEX_A], wall: 1_764_000_000_000, logical: 3, ops, noise: HONEST });
    let accepted = 0;
    for (let at = 65; at < bytes.length; at++) {
      for (let bit = 0; bit < 8; bit++) if (agree(mutate(bytes, { kind: "flip", at: at - 65, x: 1 << bit }))) accepted++;
    }
    for (let len = 0; len < bytes.length; len++) expect(agree(bytes.subarray(0, len))).toBe(false);
    // Flips inside free text keep the change valid: both sides of the comparison were exercised.
    expect(accepted).toBeGreaterThan(50);
  });

  it("on random changes (every op type, nested and non-canonical values) and random mutations of their bytes", () => {
    const seen = { honest: 0, honestAccepted: 0, mutated: 0, mutatedAccepted: 0 };
    fc.assert(
      fc.property(changeArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (c, mutations) => {
        const bytes = bytesOf(c);
        seen.honest++;
        if (agree(bytes)) seen.honestAccepted++;
        let m = bytes;
        for (const mutation of mutations) {
          m = mutate(m, mutation);
          if (m.length < 66) break;
          seen.mutated++;
          if (agree(m)) seen.mutatedAccepted++;
        }
      }),
      { numRuns: 4_000 },
    );
    // Not vacuous: a good share of both outcomes on both kinds of input.
    expect(seen.honestAccepted).toBeGreaterThan(seen.honest * 0.15);
    expect(seen.honestAccepted).toBeLessThan(seen.honest * 0.9);
    expect(seen.mutatedAccepted).toBeGreaterThan(seen.mutated * 0.02);
  });

  it("on workspaces at and past their bounds (empty, 128 and 129 chars, non-ASCII, a lone surrogate)", () => {
    const bytes = bytesOf({ author: HEX_A, seq: 1, deps: [], wall: 0, logical: 0, ops: [SAMPLES.create as Record<string, Val>], noise: HONEST });
    for (const ws of ["", "w", "w".repeat(128), "w".repeat(129), "é".repeat(128), "🚀".repeat(64), "🚀".repeat(65), "ws\ud800"]) agree(bytes, ws);
    expect(agree(bytes, "")).toBe(false);
    expect(agree(bytes, "w".repeat(128))).toBe(true);
  });
});

import Database from "better-sqlite3";
import fc from "fast-check";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordingLogger, testIdentity, testNode, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { ROOT } from "../../test/support/startServe";
import { opSamples, type OpSamples } from "../../test/support/crdt/opSamples";
import { ByteWriter } from "./ByteWriter";
import { MAX_DEPS, opSchema, type Change, type Op } from "./Change";
import { assemble, changeIdOfBytes, decodeChange, FORMAT_V1, FORMAT_V2, signChange } from "./changeCodec";
import { changeIdV2, encodeBodyV2 } from "./changeCodecV2";
import { Replica } from "./Replica";

const key = testIdentity(0);
const HEX_A = "a".repeat(64);
const HEX_B = "b".repeat(64);

/** One op of every type: typed so that a new op type in the schema fails to compile until it has a sample. */
const SAMPLES: OpSamples = opSamples(HEX_A, HEX_B);

function change(ops: Op[], extra: Partial<Change> = {}): Change {
  return { v: 2, workspace: TEST_WORKSPACE, author: key.publicKey, seq: 1, deps: [], clock: { wall: 1_764_000_000_000, logical: 0 }, ops, ...extra };
}

/** Signs any body bytes as format 2 (a forger with the key: only the decoder's rules stand in the way). */
function signedBody(body: Uint8Array, workspace = TEST_WORKSPACE): Uint8Array {
  return assemble(FORMAT_V2, key.sign(Buffer.from(changeIdV2(workspace, body), "hex")), body);
}

/** A body written field by field, for encodings the encoder would never produce. */
function body(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  write(w);
  return Uint8Array.from(w.finish());
}

function header(w: ByteWriter, deps: string[] = [], nOps = 1): void {
  w.hex32(key.publicKey);
  w.uvarint(1);
  w.uvarint(deps.length);
  for (const d of deps) w.hex32(d);
  w.uvarint(1_764_000_000_000);
  w.uvarint(0);
  w.uvarint(nOps);
}

const reasonOf = (bytes: Uint8Array): string => {
  const d = decodeChange(bytes, TEST_WORKSPACE);
  return d.ok ? "accepted" : d.reason;
};

describe("change format 2", () => {
  it("has a sample for every op type of the schema", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(opSchema.options.map((o) => (o.shape.t as unknown as { value: string }).value).sort());
  });

  for (const [t, op] of Object.entries(SAMPLES)) {
    it(`round-trips a ${t} op to the same change, id and bytes`, () => {
      const c = change([op], { deps: [HEX_A, HEX_B], seq: 300, clock: { wall: 2 ** 53 - 1, logical: 0xffff_ffff } });
      const signed = signChange(c, key);
      expect(signed.bytes[0]).toBe(FORMAT_V2);
      const d = decodeChange(signed.bytes, TEST_WORKSPACE);
      if (!d.ok) throw new Error(d.reason);
      expect(d.value.change).toEqual(c);
      expect(d.value.id).toBe(signed.id);
      expect(changeIdOfBytes(signed.bytes, TEST_WORKSPACE)).toBe(signed.id);
      expect(Buffer.from(signChange(d.value.change, key).bytes).equals(Buffer.from(signed.bytes))).toBe(true);
    });
  }

  it("round-trips a merge change (no ops) and a bulk change", () => {
    for (const ops of [[], Object.values(SAMPLES)]) {
      const signed = signChange(change(ops as Op[], { deps: [HEX_A] }), key);
      const d = decodeChange(signed.bytes, TEST_WORKSPACE);
      expect(d.ok && d.value.change.ops).toEqual(ops);
    }
  });

  it("round-trips arbitrary strings and integers (a 64-hex name travels as raw bytes and comes back a string)", () => {
    const text = fc.oneof(fc.string({ maxLength: 40, unit: "grapheme" }), fc.stringMatching(/^[0-9a-f]{64}$/));
    fc.assert(
      fc.property(text, text, fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((d) => d !== 0), fc.maxSafeNat(), (name, by, delta, wall) => {
        const ops: Op[] = [
          { t: "name", story: "s_1", value: name.slice(0, 500) },
          { t: "claim", story: "s_1", by: by.length === 0 ? "x" : by },
          { t: "count", story: "s_1", delta },
        ];
        const c = change(ops, { clock: { wall, logical: 0 } });
        const d = decodeChange(signChange(c, key).bytes, TEST_WORKSPACE);
        if (!d.ok) throw new Error(d.reason);
        expect(d.value.change).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses every non-canonical or out-of-bounds encoding, without throwing", () => {
    const place = (w: ByteWriter): void => {
      w.string("place");
      w.u8(6);
      w.string("a0"); // rank
      w.u8(6);
      w.string("2_current"); // stage
      w.u8(6);
      w.string("s_1"); // story
    };
    expect(reasonOf(signedBody(body((w) => (header(w), place(w)))))).toBe("accepted");
    // A 64-hex string sent as a plain string (tag 6) instead of 32 raw bytes (tag 7).
    const member = (keyTag: "hex" | "string") =>
      body((w) => {
        header(w);
        w.string("remove");
        if (keyTag === "hex") {
          w.u8(7);
          w.hex32(HEX_B);
        } else {
          w.u8(6);
          w.string(HEX_B);
        }
      });
    expect(reasonOf(signedBody(member("hex")))).toBe("accepted");
    expect(reasonOf(signedBody(member("string")))).toBe("body is not the canonical encoding");
    // An overlong varint (seq 1 as 0x81 0x00).
    const overlong = body((w) => {
      w.hex32(key.publicKey);
      w.bytes(Uint8Array.from([0x81, 0x00]));
      w.uvarint(0);
      w.uvarint(1);
      w.uvarint(0);
      w.uvarint(1);
      place(w);
    });
    expect(reasonOf(signedBody(overlong))).toBe("overlong varint");
    // A varint above 2^53 - 1 (the wall clock).
    const huge = body((w) => {
      w.hex32(key.publicKey);
      w.uvarint(1);
      w.uvarint(0);
      w.bytes(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
      w.uvarint(0);
      w.uvarint(1);
      place(w);
    });
    expect(reasonOf(signedBody(huge))).toBe("varint above 2^53-1");
    // Unsorted and duplicate deps.
    expect(reasonOf(signedBody(body((w) => (header(w, [HEX_B, HEX_A]), place(w)))))).toMatch(/deps must be sorted and distinct/);
    expect(reasonOf(signedBody(body((w) => (header(w, [HEX_A, HEX_A]), place(w)))))).toMatch(/deps must be sorted and distinct/);
    // Trailing bytes after the ops.
    expect(reasonOf(signedBody(body((w) => (header(w), place(w), w.u8(0)))))).toBe("trailing bytes after the ops");
    // Counts over the bounds or past the end: refused before anything is allocated.
    expect(reasonOf(signedBody(body((w) => header(w, Array.from({ length: MAX_DEPS + 1 }, (_, i) => i.toString(16).padStart(64, "0")), 0))))).toMatch(/too many deps/);
    expect(reasonOf(signedBody(body((w) => (header(w, [], 1_000_000), place(w)))))).toMatch(/too many ops/);
    expect(reasonOf(signedBody(body((w) => (header(w, [], 100), place(w)))))).toMatch(/ops run past the end/);
    // An unknown op type, an unknown value tag, a truncated body.
    expect(reasonOf(signedBody(body((w) => (header(w), w.string("teleport")))))).toMatch(/unknown op type/);
    expect(reasonOf(signedBody(body((w) => (header(w), w.string("hide"), w.u8(42)))))).toBe("unknown value tag 42");
    expect(reasonOf(signedBody(body((w) => (header(w), w.string("hide"), w.u8(6), w.uvarint(50), w.bytes(Buffer.from("s_1"))))))).toBe("string runs past the end");
    // Invalid UTF-8 in a string: decodes to U+FFFD, which re-encodes differently.
    const badUtf8 = body((w) => (header(w), w.string("hide"), w.u8(6), w.uvarint(3), w.bytes(Uint8Array.from([0x73, 0xc3, 0x28]))));
    expect(reasonOf(signedBody(badUtf8))).toMatch(/invalid change|canonical/);
    // A wrong shape for the op (a number where a story id belongs), an absent required key.
    expect(reasonOf(signedBody(body((w) => (header(w), w.string("hide"), w.u8(4), w.uvarint(7)))))).toMatch(/^invalid change: ops\.0\.story/);
    expect(reasonOf(signedBody(body((w) => (header(w), w.string("hide"), w.u8(0)))))).toMatch(/^invalid change: ops\.0\.story/);
    // Too short, and an unknown format.
    expect(reasonOf(Uint8Array.from([2, 1, 2]))).toBe("change too short");
    expect(reasonOf(Uint8Array.from([9, ...new Uint8Array(120)]))).toBe("unsupported change format 9");
  });

  it("never throws on arbitrary or mutated bytes", () => {
    const valid = signChange(change(Object.values(SAMPLES), { deps: [HEX_A] }), key).bytes;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        decodeChange(Uint8Array.from([2, ...tail]), TEST_WORKSPACE);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const copy = Uint8Array.from(valid);
        copy[at] = copy[at]! ^ x;
        const d = decodeChange(copy, TEST_WORKSPACE);
        // A flipped bit either breaks the decoding or yields another id (whose signature then fails).
        if (d.ok && at >= 65) expect(d.value.id).not.toBe(changeIdOfBytes(valid, TEST_WORKSPACE));
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses to encode what it could not decode the same (lone surrogates, floats)", () => {
    expect(() => signChange(change([{ t: "name", story: "s_1", value: "bad \ud800" }]), key)).toThrow(/lone surrogate/);
    expect(() => encodeBodyV2({ ...change([]), seq: 1.5 })).toThrow(RangeError);
  });

  it("binds the workspace: the same bytes moved to another workspace fail their signature in a replica", () => {
    const a = testNode(0);
    const { change: made } = a.replica.commit([SAMPLES.create]);
    const elsewhere = new Replica({ workspace: "w_elsewhere", signer: testIdentity(1), logger: recordingLogger(), now: () => 1_000 });
    expect(elsewhere.receive(made.bytes)).toMatchObject({ status: "rejected", reason: "bad signature" });
    const b = testNode(1);
    expect(b.replica.receive(made.bytes)).toMatchObject({ status: "applied", id: made.id });
  });

  it("keeps legacy format-1 history: a real data dir's changes decode with their ids and apply", () => {
    // A copy: opening the fixture itself would leave -wal/-shm files beside it.
    const dir = mkdtempSync(join(tmpdir(), "musher-legacy-"));
    copyFileSync(join(ROOT, "test/fixtures/v2-poisoned/musher.db"), join(dir, "musher.db"));
    const db = new Database(join(dir, "musher.db"), { readonly: true });
    const workspace = String((db.prepare("SELECT value FROM meta WHERE key = 'workspace_id'").get() as { value: string }).value);
    const rows = db.prepare("SELECT id, bytes FROM changes ORDER BY arrival").all() as { id: string; bytes: Buffer }[];
    db.close();
    expect(rows.length).toBeGreaterThan(5);
    const replica = new Replica({ workspace, signer: testIdentity(3), logger: recordingLogger(), now: () => 1_000 });
    for (const row of rows) {
      expect(row.bytes[0]).toBe(FORMAT_V1);
      const d = decodeChange(row.bytes, workspace);
      expect(d.ok && d.value.id).toBe(row.id);
      expect(changeIdOfBytes(row.bytes, workspace)).toBe(row.id);
    }
    const results = replica.receiveBatch(rows.map((r) => Uint8Array.from(r.bytes)));
    expect(results.map((r) => r.status)).toEqual(rows.map(() => "applied"));
    // A format-1 change handed over as an object is re-encoded as format 1 (its id is its JSON's hash).
    const legacy = signChange(change([SAMPLES.create], { v: 1 }), key);
    expect(legacy.bytes[0]).toBe(FORMAT_V1);
    expect(testNode(4).replica.receive(legacy)).toMatchObject({ status: "applied", id: legacy.id });
    const asV2Object = signChange(change([SAMPLES.create]), key, FORMAT_V1);
    expect(testNode(5).replica.receive(asV2Object)).toMatchObject({ status: "applied", id: asV2Object.id });
  });

  it("costs under 200 bytes for a typical move (one dep), about half of format 1", () => {
    const c = change([{ t: "place", story: "s_2169cbbcffbc40e5", stage: "2_current", rank: "a0V" }], { deps: [HEX_A], seq: 1_234 });
    const v2 = signChange(c, key).bytes.length;
    const v1 = signChange(c, key, FORMAT_V1).bytes.length;
    console.log(`typical place change with one dep: format 1 ${v1} B, format 2 ${v2} B`);
    expect(v2).toBeLessThan(200);
    expect(v2 * 2).toBeLessThan(v1);
  });
});

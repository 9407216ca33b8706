import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testIdentity, TEST_WORKSPACE } from "../../test/support/crdt/testKit";
import { ByteWriter } from "../crdt/ByteWriter";
import { FORMAT_V1, signChange } from "../crdt/changeCodec";
import type { Change } from "../crdt/Change";
import { SyncCloseCode } from "./SyncCloseCode";
import { countChanges, decodeSyncFrame, encodeControl, MAX_FRAME_AUTHORS, packChanges } from "./SyncFrame";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function changeBy(i: number, seq: number, format: 1 | 2 = 2): Uint8Array {
  const key = testIdentity(i);
  const c: Change = {
    v: 2,
    workspace: TEST_WORKSPACE,
    author: key.publicKey,
    seq,
    deps: [],
    clock: { wall: 1_764_000_000_000 + seq, logical: 0 },
    ops: [{ t: "place", story: `s_${seq}`, stage: "2_current", rank: "a0" }],
  };
  return signChange(c, key, format === 1 ? FORMAT_V1 : undefined).bytes;
}

function changesOf(frames: readonly Uint8Array[]): Uint8Array[] {
  return frames.flatMap((x) => {
    const d = decodeSyncFrame(x);
    if (!d.ok) throw new Error(d.reason);
    return d.kind === "changes" ? d.changes : [];
  });
}

/** An envelope-3 changes frame written by hand: an author table, then (uvarint length ‖ entry)… */
function frame(authors: readonly Uint8Array[], entries: readonly Uint8Array[], lengths?: readonly number[]): Uint8Array {
  const w = new ByteWriter();
  w.u8(3);
  w.u8(2);
  w.uvarint(authors.length);
  for (const a of authors) w.bytes(a);
  entries.forEach((e, i) => {
    w.uvarint(lengths?.[i] ?? e.length);
    w.bytes(e);
  });
  return Uint8Array.from(w.finish());
}

/** A format-2 change as a frame entry citing author `index`. */
function entry(change: Uint8Array, index: number): Uint8Array {
  const w = new ByteWriter();
  w.u8(2);
  w.uvarint(index);
  w.bytes(change.subarray(1, 65));
  w.bytes(change.subarray(97));
  return Uint8Array.from(w.finish());
}

const refusal = (data: Uint8Array): string => {
  const d = decodeSyncFrame(data);
  if (d.ok) return "accepted";
  expect(d.code).toBe(SyncCloseCode.badFrame);
  return d.reason;
};

describe("SyncFrame", () => {
  it("never throws on arbitrary bytes, and refuses them with a close code", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const f = decodeSyncFrame(bytes);
        if (!f.ok) expect(f.code).toBeGreaterThanOrEqual(4000);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (tail) => {
        decodeSyncFrame(Uint8Array.from([3, 1, ...tail]));
        decodeSyncFrame(Uint8Array.from([3, 2, ...tail]));
        decodeSyncFrame(Uint8Array.from([3, 2, 1, ...new Uint8Array(32), ...tail]));
      }),
      { numRuns: 2_000 },
    );
  });

  it("round-trips control messages and packs changes in order within the frame limit", () => {
    const f = decodeSyncFrame(encodeControl({ t: "plan", count: 3 }));
    expect(f).toEqual({ ok: true, kind: "control", message: { t: "plan", count: 3 } });
    const changes = Array.from({ length: 50 }, (_, i) => new Uint8Array(100 + i).fill(i));
    const { frames, oversize } = packChanges([...changes, new Uint8Array(2_000)], 1_000);
    expect(oversize).toBe(1);
    expect(frames.every((x) => x.length <= 1_000)).toBe(true);
    expect(changesOf(frames).map(hex)).toEqual(changes.map(hex));
  });

  it("round-trips mixed formats exactly, sending each format-2 author once per frame", () => {
    const changes = Array.from({ length: 60 }, (_, i) => changeBy(i % 3, i + 1, i % 5 === 0 ? 1 : 2));
    const { frames, oversize } = packChanges(changes, 1 << 20);
    expect(oversize).toBe(0);
    expect(frames).toHaveLength(1);
    expect(changesOf(frames).map(hex)).toEqual(changes.map(hex));
    expect(countChanges(frames[0]!)).toBe(60);
    expect(countChanges(encodeControl({ t: "ready" }))).toBe(0);
    // Three authors in the table; every format-2 entry is 32 bytes shorter than its change.
    const f = frames[0]!;
    expect(f[2]).toBe(3);
    const raw = changes.reduce((n, c) => n + c.length + ByteWriter.uvarintLength(c.length), 0);
    const v2 = changes.filter((c) => c[0] === 2).length;
    expect(f.length).toBe(2 + 1 + 3 * 32 + raw - v2 * 32);
    // Tight limits: every frame fits, order is kept, nothing is lost.
    for (const limit of [450, 600, 1_000, 4_000]) {
      const packed = packChanges(changes, limit);
      expect(packed.oversize).toBe(0);
      expect(packed.frames.every((x) => x.length <= limit)).toBe(true);
      expect(changesOf(packed.frames).map(hex)).toEqual(changes.map(hex));
    }
  });

  it("starts a new frame when the author table is full", () => {
    const one = changeBy(0, 1);
    const changes = Array.from({ length: MAX_FRAME_AUTHORS + 5 }, (_, i) => {
      const c = Uint8Array.from(one);
      new DataView(c.buffer, c.byteOffset).setUint32(65, i); // a distinct "author" per change
      return c;
    });
    const { frames } = packChanges(changes, 1 << 20);
    expect(frames).toHaveLength(2);
    expect(changesOf(frames).map(hex)).toEqual(changes.map(hex));
  });

  it("refuses every malformed changes frame with badFrame and a reason", () => {
    const c = changeBy(0, 1);
    const author = c.subarray(65, 97);
    expect(refusal(frame([author], [entry(c, 0)]))).toBe("accepted");
    expect(refusal(frame([author], [entry(c, 1)]))).toBe("bad changes frame: author index 1 outside the table of 1");
    expect(refusal(frame([], [entry(c, 0)]))).toBe("bad changes frame: author index 0 outside the table of 0");
    expect(refusal(frame([author], []))).toBe("bad changes frame: no changes");
    expect(refusal(frame([author], [entry(c, 0)], [entry(c, 0).length + 1]))).toBe("bad changes frame: a change runs past the frame");
    expect(refusal(frame([author], [entry(c, 0).subarray(0, 40)]))).toBe("bad changes frame: format-2 change too short");
    expect(refusal(frame([], [new Uint8Array(20).fill(1)]))).toBe("bad changes frame: bad change length");
    // A table larger than the bound, or one that claims more authors than the frame holds.
    const big = new ByteWriter();
    big.u8(3);
    big.u8(2);
    big.uvarint(MAX_FRAME_AUTHORS + 1);
    expect(refusal(Uint8Array.from(big.finish()))).toBe(`bad changes frame: too many authors (${MAX_FRAME_AUTHORS + 1} > ${MAX_FRAME_AUTHORS})`);
    expect(refusal(Uint8Array.from([3, 2, 5, ...new Uint8Array(64)]))).toBe("bad changes frame: authors run past the end");
    // Overlong and truncated varints.
    expect(refusal(Uint8Array.from([3, 2, 0x80, 0x00]))).toBe("bad changes frame: overlong varint");
    expect(refusal(Uint8Array.from([3, 2, 0, 0xff]))).toBe("bad changes frame: truncated varint");
  });

  it("rebuilds a hostile frame's changes as bytes only: the replica, not the frame, decides", () => {
    // A peer cites another author's key for its own change: the frame rebuilds it faithfully, and the signature will not match.
    const mine = changeBy(0, 1);
    const theirs = changeBy(1, 1).subarray(65, 97);
    const [rebuilt] = changesOf([frame([theirs], [entry(mine, 0)])]);
    expect(hex(rebuilt!.subarray(65, 97))).toBe(hex(theirs));
    expect(hex(rebuilt!.subarray(0, 65))).toBe(hex(mine.subarray(0, 65)));
  });

  it("rejects an unknown envelope version with 4001", () => {
    expect(decodeSyncFrame(Uint8Array.from([4, 1, 0x7b, 0x7d]))).toMatchObject({ ok: false, code: SyncCloseCode.unsupportedVersion });
  });

  it("refuses an envelope-2 (or older) peer's frame with a reason that says to upgrade it", () => {
    for (const v of [1, 2]) {
      const hello = Buffer.concat([Buffer.from([v, 1]), Buffer.from(JSON.stringify({ t: "hello", workspace: "w", node: "a".repeat(64), nonce: "b".repeat(64) }))]);
      expect(decodeSyncFrame(hello)).toEqual({
        ok: false,
        code: SyncCloseCode.unsupportedVersion,
        reason: `unsupported envelope version ${v}: this node speaks sync v3 only; upgrade the older node`,
      });
    }
  });
});

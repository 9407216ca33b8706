import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncCloseCode } from "./SyncCloseCode";
import { decodeSyncFrame, encodeControl, packChanges } from "./SyncFrame";

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
        decodeSyncFrame(Uint8Array.from([2, 1, ...tail]));
        decodeSyncFrame(Uint8Array.from([2, 2, ...tail]));
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
    const back = frames.flatMap((x) => {
      const d = decodeSyncFrame(x);
      return d.ok && d.kind === "changes" ? d.changes : [];
    });
    expect(back.map((c) => Buffer.from(c).toString("hex"))).toEqual(changes.map((c) => Buffer.from(c).toString("hex")));
  });

  it("rejects an unknown envelope version with 4001", () => {
    expect(decodeSyncFrame(Uint8Array.from([3, 1, 0x7b, 0x7d]))).toMatchObject({ ok: false, code: SyncCloseCode.unsupportedVersion });
  });

  it("refuses a v1 peer's frame with a reason that says to upgrade it", () => {
    const hello = Buffer.concat([Buffer.from([1, 1]), Buffer.from(JSON.stringify({ t: "hello", workspace: "w", node: "a".repeat(64), nonce: "b".repeat(64) }))]);
    expect(decodeSyncFrame(hello)).toEqual({
      ok: false,
      code: SyncCloseCode.unsupportedVersion,
      reason: "unsupported envelope version 1: this node speaks sync v2; upgrade the older node",
    });
  });
});

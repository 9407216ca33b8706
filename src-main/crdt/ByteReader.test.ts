import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "./ByteReader";
import { ByteWriter } from "./ByteWriter";

describe("uvarint (canonical LEB128)", () => {
  it("round-trips every safe integer in its shortest form", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const w = new ByteWriter(1);
        w.uvarint(n);
        const bytes = w.finish();
        expect(bytes.length).toBe(ByteWriter.uvarintLength(n));
        const r = new ByteReader(bytes);
        expect(r.uvarint()).toBe(n);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 5_000 },
    );
    for (const [n, hex] of [[0, "00"], [127, "7f"], [128, "8001"], [300, "ac02"], [Number.MAX_SAFE_INTEGER, "ffffffffffffff0f"]] as const) {
      const w = new ByteWriter();
      w.uvarint(n);
      expect(w.finish().toString("hex")).toBe(hex);
    }
  });

  it("refuses overlong forms, values above 2^53 - 1 and truncation", () => {
    const read = (hex: string): string => {
      try {
        return String(new ByteReader(Buffer.from(hex, "hex")).uvarint());
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(read("8000")).toBe("overlong varint");
    expect(read("ff00")).toBe("overlong varint");
    expect(read("ffffffffffffff1f")).toBe("varint above 2^53-1");
    expect(read("ffffffffffffffff01")).toBe("varint above 2^53-1");
    expect(read("80")).toBe("truncated varint");
    expect(read("")).toBe("truncated varint");
    expect(() => new ByteWriter().uvarint(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().uvarint(2 ** 53)).toThrow(RangeError);
  });

  it("bounds counts by the bytes left before anything is allocated", () => {
    const w = new ByteWriter();
    w.uvarint(1_000_000);
    w.bytes(new Uint8Array(10));
    expect(() => new ByteReader(w.finish()).count(Number.MAX_SAFE_INTEGER, 1, "items")).toThrow("items run past the end");
    expect(() => new ByteReader(w.finish()).count(10, 1, "items")).toThrow("too many items (1000000 > 10)");
  });
});

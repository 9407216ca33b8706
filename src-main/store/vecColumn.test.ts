import { describe, expect, it } from "vitest";
import { vecColumn } from "./vecColumn";

const keys = ["a".repeat(64), "b".repeat(64), "c".repeat(64)];
const idxOf = (key: string): number => ({ [keys[0]!]: 1, [keys[1]!]: 200, [keys[2]!]: 70_000 })[key]!;
const keyOf = (idx: number): string => ({ 1: keys[0]!, 200: keys[1]!, 70_000: keys[2]! })[idx]!;

describe("vecColumn", () => {
  it("round-trips a seq vector in a few bytes per author, one encoding whatever the key order", () => {
    const vec = { [keys[2]!]: 3, [keys[0]!]: 1_000_000, [keys[1]!]: 1 };
    const bytes = vecColumn.encode(vec, idxOf);
    expect(vecColumn.decode(bytes, keyOf)).toEqual(vec);
    expect(bytes.length).toBeLessThanOrEqual(3 * 4);
    expect(vecColumn.encode({ [keys[1]!]: 1, [keys[0]!]: 1_000_000, [keys[2]!]: 3 }, idxOf)).toEqual(bytes);
    // The stored bytes are pinned: (idx delta, seq) pairs by idx — (1, 1000000), (199, 1), (69800, 3).
    expect(bytes.toString("hex")).toBe("01c0843dc70101a8a10403");
    expect(vecColumn.decode(vecColumn.encode({}, idxOf), keyOf)).toEqual({});
    const big = { [keys[0]!]: Number.MAX_SAFE_INTEGER };
    expect(vecColumn.decode(vecColumn.encode(big, idxOf), keyOf)).toEqual(big);
  });

  it("refuses what it cannot store exactly, and damaged bytes with an error, never a wrong vector", () => {
    expect(() => vecColumn.encode({ [keys[0]!]: -1 }, idxOf)).toThrow(RangeError);
    expect(() => vecColumn.encode({ [keys[0]!]: 1.5 }, idxOf)).toThrow(RangeError);
    const bytes = vecColumn.encode({ [keys[0]!]: 300 }, idxOf);
    expect(() => vecColumn.decode(bytes.subarray(0, bytes.length - 1), keyOf)).toThrow("ends inside a number");
    expect(() => vecColumn.decode(Buffer.from([1, 1, 0, 1]), keyOf)).toThrow("repeats an author");
    expect(() => vecColumn.decode(Buffer.alloc(9, 0xff), keyOf)).toThrow("over 8 bytes");
  });
});

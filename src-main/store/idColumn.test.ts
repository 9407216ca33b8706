import { describe, expect, it } from "vitest";
import { idColumn } from "./idColumn";

const id = (c: string): string => c.repeat(64);

describe("idColumn", () => {
  it("keeps a hex id as its 32 raw bytes and any other string as itself, exactly both ways", () => {
    expect(idColumn.encode(id("a"))).toEqual(Buffer.alloc(32, 0xaa));
    expect(idColumn.decode(idColumn.encode(id("a")))).toBe(id("a"));
    for (const other of ["c1", id("A"), id("a").slice(1), ""]) expect(idColumn.decode(idColumn.encode(other))).toBe(other);
    expect(() => idColumn.decode(Buffer.alloc(31))).toThrow("31 bytes");
  });

  it("packs a list of hex ids into one BLOB, order kept; a list with any other id stays JSON", () => {
    const ids = [id("b"), id("a"), id("c")];
    expect(idColumn.encodeList(ids)).toHaveLength(96);
    expect(idColumn.decodeList(idColumn.encodeList(ids))).toEqual(ids);
    expect(idColumn.decodeList(idColumn.encodeList([]))).toEqual([]);
    expect(idColumn.decodeList(idColumn.encodeList([id("a"), "x"]))).toEqual([id("a"), "x"]);
    expect(() => idColumn.decodeList(Buffer.alloc(33))).toThrow("multiple of 32");
  });
});

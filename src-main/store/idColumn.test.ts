import Database from "better-sqlite3";
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

  it("takes exactly the 64-char lowercase hex strings as raw bytes: every char at every position, against the RegExp and Buffer.from", () => {
    const reference = (s: string): Buffer | string => (/^[0-9a-f]{64}$/.test(s) ? Buffer.from(s, "hex") : s);
    const base = "0123456789abcdef".repeat(4);
    // Each position once with each char around the hex ranges, and wide chars whose low bits alias a digit.
    const probes = ["/", "0", "9", ":", "`", "a", "f", "g", "A", "F", "G", " ", "\u0130", "\u0161", "\u00e1", "\u0430", "\uff10"];
    for (let at = 0; at < 64; at++) {
      for (const c of probes) {
        const s = base.slice(0, at) + c + base.slice(at + 1);
        expect(idColumn.encode(s), `${JSON.stringify(c)} at ${at}`).toEqual(reference(s));
      }
    }
    for (const s of [base + "0", base.slice(1), "", "c1"]) expect(idColumn.encode(s)).toBe(s);
  });

  it("reads ids in SQL as `decode` reads them, and a damaged BLOB as the same error", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, id ANY NOT NULL) STRICT");
    const put = db.prepare<[number, Buffer | string]>("INSERT INTO t (n, id) VALUES (?, ?)");
    const values = [idColumn.encode("0123456789abcdef".repeat(4)), idColumn.encode(id("f")), idColumn.encode("c1"), idColumn.encode(id("A")), idColumn.encode("")];
    values.forEach((v, n) => put.run(n, v));
    const read = db.prepare<[], string | null>(`SELECT ${idColumn.sqlDecoded("id")} FROM t ORDER BY n`).pluck();
    expect(read.all().map((v) => idColumn.checked(v))).toEqual(values.map((v) => idColumn.decode(v)));
    put.run(9, Buffer.alloc(31));
    expect(() => read.all().map((v) => idColumn.checked(v))).toThrow("not 32 bytes");
    db.close();
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

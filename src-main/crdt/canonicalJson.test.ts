import { describe, expect, it } from "vitest";
import { canonicalJson, CanonicalJsonError } from "./canonicalJson";
import { changeBody, changeIdOf } from "./changeCodec";
import type { Change } from "./Change";

describe("canonicalJson", () => {
  it("sorts keys at every depth and has no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }], c: "x" })).toBe('{"a":[{"y":null,"z":true}],"b":1,"c":"x"}');
  });

  it("rejects undefined, non-finite numbers and non-plain objects", () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson([Infinity])).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(new Date(0))).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(1n)).toThrow(CanonicalJsonError);
  });

  it("gives the same change id whatever order the keys were inserted in", () => {
    const a: Change = {
      v: 1,
      workspace: "w",
      author: "ab".repeat(32),
      seq: 1,
      deps: [],
      clock: { wall: 5, logical: 0 },
      ops: [{ t: "create", story: "s1", name: "n", stage: "1_backlog", rank: "V", agent: null }],
    };
    const b = {
      ops: [{ agent: null, rank: "V", stage: "1_backlog", name: "n", story: "s1", t: "create" }],
      clock: { logical: 0, wall: 5 },
      deps: [],
      seq: 1,
      author: "ab".repeat(32),
      workspace: "w",
      v: 1,
    } as Change;
    expect(changeIdOf(changeBody(b))).toBe(changeIdOf(changeBody(a)));
  });
});

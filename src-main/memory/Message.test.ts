import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareMessages, messageIdSchema, toMessages, type MessageInput } from "./Message";

const T0 = 1_700_000_000_000;
const input = (content: string, timestamp = T0, senderId = "alice"): MessageInput => ({
  senderId,
  role: "user",
  timestamp,
  content,
});

describe("message ids", () => {
  it("are deterministic: the same payload yields the same ids", () => {
    const batch = [input("hello"), input("world", T0 + 1)];
    expect(toMessages("s", batch).map((m) => m.id)).toEqual(toMessages("s", batch).map((m) => m.id));
    for (const m of toMessages("s", batch)) expect(messageIdSchema.safeParse(m.id).success).toBe(true);
  });

  it("depend on the session and on every field", () => {
    const base = toMessages("s", [input("hi")])[0]?.id;
    expect(toMessages("s2", [input("hi")])[0]?.id).not.toBe(base);
    expect(toMessages("s", [input("hi!")])[0]?.id).not.toBe(base);
    expect(toMessages("s", [input("hi", T0 + 1)])[0]?.id).not.toBe(base);
    expect(toMessages("s", [input("hi", T0, "bob")])[0]?.id).not.toBe(base);
    expect(toMessages("s", [{ ...input("hi"), role: "assistant" }])[0]?.id).not.toBe(base);
  });

  it("keep identical messages in one batch distinct, and dedupe a re-sent superset", () => {
    const twice = toMessages("s", [input("ok"), input("ok")]);
    expect(new Set(twice.map((m) => m.id)).size).toBe(2);
    const first = toMessages("s", [input("a"), input("b", T0 + 1)]).map((m) => m.id);
    const superset = toMessages("s", [input("z", T0 - 1), input("a"), input("b", T0 + 1)]).map((m) => m.id);
    expect(superset.slice(1)).toEqual(first);
  });

  it("sort by timestamp then id (a total order)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.string()), { maxLength: 30 }), (rows) => {
        const msgs = toMessages("s", rows.map(([t, c]) => input(c, T0 + t)));
        const sorted = [...msgs].sort(compareMessages);
        const resorted = [...msgs].reverse().sort(compareMessages);
        expect(resorted.map((m) => m.id)).toEqual(sorted.map((m) => m.id));
        for (let i = 1; i < sorted.length; i++) {
          const a = sorted[i - 1];
          const b = sorted[i];
          if (a && b) expect(a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.id < b.id)).toBe(true);
        }
      }),
    );
  });
});

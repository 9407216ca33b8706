import { describe, expect, it } from "vitest";
import type { Member } from "../../../src-shared/memberMethods";
import { testPeer } from "../testing/testSyncStatus";
import { lastSeenOf } from "./lastSeenOf";
import { memberName } from "./memberName";
import { sortMembers } from "./sortMembers";

const m = (nodeId: string, addedAt: number, removed = false): Member => ({
  nodeId,
  name: nodeId,
  role: "member",
  addedBy: null,
  addedAt,
  removed,
});

describe("lastSeenOf", () => {
  it("takes the latest frame over every link to the member's key", () => {
    const peers = [
      testPeer({ nodeId: "k1", direction: "in", lastSeen: 100 }),
      testPeer({ nodeId: "k1", direction: "out", lastSeen: 300 }),
      testPeer({ nodeId: "k2", lastSeen: 900 }),
    ];
    expect(lastSeenOf("k1", peers)).toBe(300);
  });

  it("is null without a link, or before a link carried a frame", () => {
    expect(lastSeenOf("k1", [])).toBeNull();
    expect(lastSeenOf("k1", [testPeer({ nodeId: "k1", lastSeen: null })])).toBeNull();
    expect(lastSeenOf("k1", [testPeer({ nodeId: null, lastSeen: 5 })])).toBeNull();
  });
});

describe("sortMembers", () => {
  it("lists current members by when they were added, removed ones last, ties by key", () => {
    const sorted = sortMembers([m("d", 1, true), m("c", 30), m("b", 10), m("a", 30), m("e", 0, true)]);
    expect(sorted.map((x) => x.nodeId)).toEqual(["b", "a", "c", "e", "d"]);
  });
});

describe("memberName", () => {
  it("is the member's name, or its short key when it has none (migrated)", () => {
    expect(memberName({ name: "Ada", nodeId: "f".repeat(64) })).toBe("Ada");
    expect(memberName({ name: "", nodeId: "f".repeat(64) })).toBe("device ffffffff…");
  });
});

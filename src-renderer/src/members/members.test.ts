import { describe, expect, it } from "vitest";
import type { Member } from "../../../src-shared/memberMethods";
import type { RendezvousStatus } from "../../../src-shared/syncMethods";
import { testPeer, testRendezvous } from "../testing/testSyncStatus";
import { describeJoinLink } from "./describeJoinLink";
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

describe("describeJoinLink", () => {
  const NOW = 1_000_000;
  const link = (over: Partial<RendezvousStatus>): RendezvousStatus => testRendezvous({ url: "ws://a/sync", ...over });

  it("a connected address is fine", () => {
    expect(describeJoinLink(link({ state: "connected" }), NOW)).toEqual({ text: "connected", tone: "ok" });
  });

  it("a refusal (4xxx) shows the other node's reason, even while it redials", () => {
    const used = link({ state: "waiting", failures: 2, nextAttemptAt: NOW + 8_000, lastError: { code: 4010, reason: "invite refused: this invite was already used" } });
    expect(describeJoinLink(used, NOW)).toEqual({ text: "invite refused: this invite was already used; next try in 8 s", tone: "problem" });
    expect(describeJoinLink({ ...used, state: "connecting", nextAttemptAt: null }, NOW).text).toBe("invite refused: this invite was already used");
    const other = link({ state: "waiting", failures: 1, lastError: { code: 4002, reason: "wrong workspace" } });
    expect(describeJoinLink(other, NOW).text).toBe("refused: wrong workspace");
  });

  it("no connection says it cannot be reached, with the attempts and the next one", () => {
    const dead = link({ state: "waiting", failures: 3, nextAttemptAt: NOW + 4_000, lastError: { code: 1006, reason: "closed by peer" } });
    expect(describeJoinLink(dead, NOW)).toEqual({ text: "cannot reach it (3 failed attempts); next try in 4 s", tone: "problem" });
    expect(describeJoinLink({ ...dead, failures: 1 }, NOW).text).toContain("(1 failed attempt)");
    expect(describeJoinLink(link({ state: "connecting", failures: 1 }), NOW)).toEqual({ text: "connecting…", tone: "pending" });
  });

  it("a node that predates lastError still reads as unreachable after failures", () => {
    const old = link({ state: "waiting", failures: 2, nextAttemptAt: null });
    delete old.lastError;
    expect(describeJoinLink(old, NOW)).toEqual({ text: "cannot reach it (2 failed attempts)", tone: "problem" });
  });
});

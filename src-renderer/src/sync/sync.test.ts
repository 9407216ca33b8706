import { describe, expect, it } from "vitest";
import { MAX_RENDEZVOUS_URLS } from "../../../src-shared/syncMethods";
import { parseRendezvousList } from "./parseRendezvousList";
import { shortNodeId } from "./shortNodeId";
import { syncSummary } from "./syncSummary";
import { splitRendezvous } from "./splitRendezvous";
import { NODE_B, testPeer, testRendezvous, testSyncStatus } from "../testing/testSyncStatus";

describe("syncSummary", () => {
  it("calls a lone node with no rendezvous 'local', not offline", () => {
    expect(syncSummary(testSyncStatus()).state).toBe("local");
  });

  it("is offline when a rendezvous is configured but nobody is reachable", () => {
    const status = testSyncStatus({ rendezvous: [testRendezvous({ state: "waiting", failures: 3, nextAttemptAt: 1 })] });
    expect(syncSummary(status)).toMatchObject({ state: "offline", peerCount: 0 });
  });

  it("is offline, not local, when the only rendezvous comes from the command line", () => {
    const status = testSyncStatus({ rendezvous: [testRendezvous({ source: "flag", state: "waiting", failures: 1, nextAttemptAt: 1 })] });
    expect(syncSummary(status).state).toBe("offline");
  });

  it("is offline (not local) while an inbound link is still in its handshake", () => {
    const status = testSyncStatus({ peers: [testPeer({ nodeId: null, state: "handshake" })] });
    expect(syncSummary(status)).toMatchObject({ state: "offline", peerCount: 0 });
  });

  it("counts distinct authenticated peers: a peer linked both ways counts once", () => {
    const status = testSyncStatus({
      online: true,
      unsent: 3,
      peers: [testPeer(), testPeer({ direction: "out", url: "ws://b/sync" }), testPeer({ nodeId: null, state: "handshake" })],
    });
    expect(syncSummary(status)).toEqual({ state: "online", peerCount: 1, unsent: 3, catchUp: null });
  });
});

describe("splitRendezvous", () => {
  it("separates the stored setting (what the form edits) from command-line flags, keeping order", () => {
    const entries = [
      testRendezvous({ url: "ws://flag/sync", source: "flag" }),
      testRendezvous({ url: "ws://a/sync" }),
      testRendezvous({ url: "ws://b/sync" }),
    ];
    expect(splitRendezvous(entries)).toEqual({ setting: ["ws://a/sync", "ws://b/sync"], flags: ["ws://flag/sync"] });
    expect(splitRendezvous([])).toEqual({ setting: [], flags: [] });
  });
});

describe("parseRendezvousList", () => {
  it("takes one ws:// or wss:// URL per line, trimmed, blank lines ignored", () => {
    expect(parseRendezvousList("  ws://a:1/sync \n\n wss://b.example/sync\n")).toEqual({
      ok: true,
      urls: ["ws://a:1/sync", "wss://b.example/sync"],
    });
    expect(parseRendezvousList("")).toEqual({ ok: true, urls: [] });
  });

  it("names the offending line with the contract's message", () => {
    const result = parseRendezvousList("ws://a:1/sync\nhttp://x");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Line 2 \(http:\/\/x\): a rendezvous address is a ws:\/\/ or wss:\/\/ URL/);
    expect(parseRendezvousList("not a url").ok).toBe(false);
  });

  it("refuses duplicates and more than the contract allows", () => {
    expect(parseRendezvousList("ws://a/sync\nws://a/sync")).toEqual({ ok: false, error: "Line 2 (ws://a/sync): listed twice" });
    const many = Array.from({ length: MAX_RENDEZVOUS_URLS + 1 }, (_, i) => `ws://h${i}/sync`).join("\n");
    expect(parseRendezvousList(many).ok).toBe(false);
  });
});

describe("shortNodeId", () => {
  it("keeps the first 8 hex chars of a key, and short strings whole", () => {
    expect(shortNodeId(NODE_B)).toBe("bbbbbbbb…");
    expect(shortNodeId("abc")).toBe("abc");
  });
});

/**
 * The node's sync wiring: which rendezvous peers it dials (setting ∪ host
 * flags, each once), the setting persisted in `meta` and validated on read,
 * and `sync/changed` throttled.
 */
import Database from "better-sqlite3";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventMessage } from "../../src-shared/contract";
import type { SyncStatus } from "../../src-shared/syncMethods";
import { recordingLogger } from "../../test/support/crdt/testKit";
import { createNode, type MusherNode, type NodeOptions } from "./createNode";
import { callOk } from "../../test/support/callOk";

const open: MusherNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

async function node(options: Partial<NodeOptions> = {}): Promise<MusherNode> {
  const n = await createNode({ dataDir: null, host: "embedded", log: recordingLogger(), ...options });
  open.push(n);
  return n;
}

const call = callOk;

// Nothing listens on port 1: these clients only ever wait and retry.
const U1 = "ws://127.0.0.1:1/sync";
const U2 = "ws://127.0.0.1:1/other";

describe("a node's sync wiring", () => {
  it("dials the setting ∪ the host's URLs, each address once; setRendezvous redials", async () => {
    const n = await node({ rendezvous: [U1, "ws://127.0.0.1:1/sync "] });
    const urls = async (): Promise<string[]> => (await call(n, "sync/status", {})).rendezvous.map((r) => r.url).sort();
    expect(await urls()).toEqual([U1]);
    const after = await call(n, "sync/setRendezvous", { urls: [U2, U1, "WS://127.0.0.1:1/other"] });
    expect(after.rendezvous.map((r) => r.url).sort()).toEqual([U1, U2].sort());
    // The host's URL stays: it is how the process was started, not part of the setting.
    await call(n, "sync/setRendezvous", { urls: [] });
    expect(await urls()).toEqual([U1]);
  });

  it("reports each address's source: the host's URLs as flag, the stored setting as setting", async () => {
    const n = await node({ rendezvous: [U1] });
    const sources = (status: SyncStatus): [string, string][] => status.rendezvous.map((r): [string, string] => [r.url, r.source]).sort();
    expect(sources(await call(n, "sync/status", {}))).toEqual([[U1, "flag"]]);
    const set = await call(n, "sync/setRendezvous", { urls: [U2] });
    expect(sources(set)).toEqual([[U1, "flag"], [U2, "setting"]].sort());
    expect(sources(await call(n, "sync/status", {}))).toEqual(sources(set));
    // An address both stored and given as a flag is dialled once, as flag.
    expect(sources(await call(n, "sync/setRendezvous", { urls: [U2, "ws://127.0.0.1:1/sync"] }))).toEqual(sources(set));
    // Clearing the setting keeps dialling the flag URL.
    expect(sources(await call(n, "sync/setRendezvous", { urls: [] }))).toEqual([[U1, "flag"]]);
    expect(sources(await call(n, "sync/status", {}))).toEqual([[U1, "flag"]]);
  });

  it("refuses bad input: a non-ws URL over the API, a malformed trusted key at start", async () => {
    const n = await node();
    const r = await n.call("sync/setRendezvous", { urls: ["http://example.com/"] });
    expect(r.ok ? null : r.error.code).toBe("invalid_input");
    await expect(createNode({ dataDir: null, host: "embedded", log: recordingLogger(), trustedKeys: ["ABC"] })).rejects.toThrow(/64 lowercase hex/);
  });

  it("persists the setting in the node's meta table, and ignores a stored value that does not validate", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-sync-setting-"));
    const first = await createNode({ dataDir, host: "embedded", log: recordingLogger() });
    await call(first, "sync/setRendezvous", { urls: [U2] });
    await first.close();
    const again = await node({ dataDir });
    expect((await call(again, "sync/status", {})).rendezvous.map((r) => r.url)).toEqual([U2]);
    await again.close();

    const db = new Database(join(dataDir, "musher.db"));
    db.prepare("UPDATE meta SET value = ? WHERE key = 'rendezvous'").run(JSON.stringify(["file:///etc/passwd"]));
    db.close();
    const log = recordingLogger();
    const third = await node({ dataDir, log });
    expect((await call(third, "sync/status", {})).rendezvous).toEqual([]);
    expect(log.lines.some((l) => l.level === "warn" && l.msg.startsWith("sync: ignoring the stored rendezvous setting"))).toBe(true);
  });

  it("pushes sync/changed with the whole status, at most every 250 ms, the last state always", async () => {
    const n = await node();
    const events: { at: number; payload: SyncStatus }[] = [];
    n.subscribe((m: EventMessage) => {
      if (m.event === "sync/changed") events.push({ at: performance.now(), payload: m.payload });
    });
    const started = performance.now();
    // Each local edit changes the heads and `unsent`: a burst of status changes.
    for (let k = 0; k < 40; k++) {
      await call(n, "story/create", { name: `s${k}` });
      await new Promise((r) => setTimeout(r, 10));
    }
    const burstMs = performance.now() - started;
    const final = await call(n, "sync/status", {});
    await new Promise((r) => setTimeout(r, 400)); // let the trailing push fire (not an assertion on timing)
    expect(events.length).toBeGreaterThan(1);
    expect(events.length).toBeLessThanOrEqual(Math.ceil(burstMs / 250) + 2);
    for (let i = 1; i < events.length; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(240);
    expect(events.at(-1)!.payload).toEqual(final);
    expect(final.unsent).toBe(41); // the 40 edits and the workspace's genesis (written before the first)
  });
});

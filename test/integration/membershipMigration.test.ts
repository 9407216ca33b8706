/**
 * A data dir from before membership (the real v2 fixture, written by an older
 * build: this node's changes plus a peer's) opens under the membership rules
 * with the documented choice (docs/PROTOCOL.md §Migration): every existing
 * author is a member, the author of the earliest root change (effective
 * clock, then id) is the admin. A stranger is refused; the admin invites.
 */
import Database from "better-sqlite3";
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memberListSchema } from "../../src-shared/memberMethods";
import { apiOf } from "../support/apiOf";
import { ProtocolPeer } from "../support/protocolPeer";
import { serveFleet } from "../support/serveFleet";
import { ROOT, startServe } from "../support/startServe";
import { waitFor } from "../support/waitFor";

const FIXTURE = join(ROOT, "test/fixtures/v2-poisoned/musher.db");
const fleet = serveFleet();
afterAll(() => fleet.stopAll());

describe("membership on a data dir from before membership", { timeout: 60_000 }, () => {
  it("every existing author is a member, the earliest root's author is admin; strangers are refused; the admin invites", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "musher-migrate-members-"));
    await copyFile(FIXTURE, join(dataDir, "musher.db"));
    const db = new Database(join(dataDir, "musher.db"), { readonly: true });
    const authors = db.prepare<[], { author: string }>("SELECT DISTINCT author FROM changes ORDER BY author").all().map((r) => r.author);
    db.close();
    expect(authors.length).toBeGreaterThanOrEqual(2); // the node and the peer that wrote into it

    const node = await fleet.track(startServe({ dataDir }));
    const api = apiOf(node);
    // Roots and their effective clocks as the migrated node holds them (v3 recomputed the clocks).
    const after = new Database(join(dataDir, "musher.db"), { readonly: true });
    const roots = after
      .prepare<[], { author: string; id: string }>("SELECT author, id FROM changes WHERE deps = '[]' ORDER BY clock_wall, clock_logical, id")
      .all();
    after.close();
    const admin = roots[0]!.author;
    const list = await api.okAs(memberListSchema, "member/list");
    expect(list.members.map((m) => m.nodeId).sort()).toEqual(authors);
    for (const m of list.members) expect(m).toMatchObject({ role: m.nodeId === admin ? "admin" : "member", addedBy: null, removed: false });

    const stranger = await ProtocolPeer.connect(api.syncUrl, { refusalExpected: true });
    expect((await stranger.closed).code).toBe(4010);
    expect(stranger.received).toHaveLength(0);

    const me = (await api.info()).nodeId;
    expect(me).toBe(admin); // the fixture's own node wrote the first change
    const joined = await fleet.track(startServe({ args: ["--rendezvous", api.syncUrl], invitedBy: node, invite: { name: "new laptop" } }));
    await waitFor(async () => (await api.okAs(memberListSchema, "member/list")).members.some((m) => m.name === "new laptop"), "the invited device is a member");
    await waitFor(async () => (await apiOf(joined).board()).stories.length === (await api.board()).stories.length, "it caught up");
  });
});

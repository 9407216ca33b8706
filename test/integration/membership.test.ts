/**
 * Workspace membership across real `musher serve` processes (issue 11):
 * closed by default, one invite admits one device, a plain member cannot
 * invite, a removed member's later edits reach no one while its earlier ones
 * stay, and membership converges across a partition with a concurrent
 * removal and addition.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memberListSchema, type MemberList } from "../../src-shared/memberMethods";
import { storySchema } from "../../src-shared/Story";
import { apiOf } from "../support/apiOf";
import { converged } from "../support/converged";
import { freePort } from "../support/freePort";
import { ProtocolPeer } from "../support/protocolPeer";
import { serveFleet } from "../support/serveFleet";
import { inviteFrom, startServe, type ServeProcess, type StartServeOptions } from "../support/startServe";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
afterEach(() => fleet.stopAll());

const serve = (opts: StartServeOptions = {}): Promise<ServeProcess> => fleet.track(startServe(opts));
const members = (p: ServeProcess): Promise<MemberList> => apiOf(p).okAs(memberListSchema, "member/list");
const create = (p: ServeProcess, name: string) => apiOf(p).okAs(storySchema, "story/create", { name });
const names = async (p: ServeProcess): Promise<string[]> => (await apiOf(p).board()).stories.map((s) => s.name).sort();
const keyOf = async (p: ServeProcess): Promise<string> => (await apiOf(p).info()).nodeId;
const live = async (p: ServeProcess, peers = 1): Promise<boolean> => (await apiOf(p).status()).peers.filter((x) => x.state === "live").length >= peers;
/** A node that joined `hub` by invite and dials it (`--rendezvous` flag: restarted without it, it is offline). */
const joined = (hub: ServeProcess, name: string, role: "admin" | "member" = "member", port?: number) =>
  serve({ args: ["--rendezvous", apiOf(hub).syncUrl], invitedBy: hub, invite: { name, role }, ...(port !== undefined ? { port } : {}) });

describe("workspace membership", { timeout: 120_000 }, () => {
  it("is closed by default: a raw peer with an unknown key is refused (4010) before any change", async () => {
    const a = await serve();
    await create(a, "secret plan");
    const stranger = await ProtocolPeer.connect(apiOf(a).syncUrl, { refusalExpected: true });
    const { code, reason } = await stranger.closed;
    expect(code).toBe(4010);
    expect(reason).toMatch(/not a member of this workspace: ask an admin for an invite/);
    expect(stranger.received).toHaveLength(0);
    expect(stranger.controls.map((c) => c.t)).toEqual(["hello"]);
    expect((await members(a)).members).toMatchObject([{ nodeId: await keyOf(a), role: "admin", removed: false }]);
  });

  it("an invite admits exactly one device; its second use is refused with a clear message", async () => {
    const a = await serve();
    await create(a, "on a");
    const line = await inviteFrom(a, "laptop");
    expect(line).toMatch(/^musher-invite-1\.\S+$/);
    const b = await serve({ args: ["--join", line] });
    await waitFor(async () => (await names(b)).includes("on a"), "b caught up");
    await waitFor(async () => (await members(a)).members.some((m) => m.name === "laptop" && !m.removed), "a lists b by the invite's name");
    const listed = (await members(a)).members.find((m) => m.name === "laptop")!;
    expect(listed).toMatchObject({ nodeId: await keyOf(b), role: "member", addedBy: await keyOf(a), removed: false });
    // The invite addresses became b's rendezvous setting (editable in the sync panel).
    expect((await apiOf(b).status()).rendezvous).toMatchObject([{ url: apiOf(a).syncUrl, source: "setting" }]);

    const c = await serve({ args: ["--join", line] });
    await waitFor(
      () => c.logs().some((l) => l.msg === "sync: rendezvous connection failed" && l["code"] === 4010 && /invite refused: this invite was already used/.test(String(l["reason"]))),
      "c told the invite was used",
    );
    expect(await names(c)).toEqual([]);
    expect((await members(a)).members.map((m) => m.nodeId)).not.toContain(await keyOf(c));
  });

  it("a plain member cannot invite or remove (403 forbidden); an admin can", async () => {
    const a = await serve();
    const b = await joined(a, "plain");
    await waitFor(() => live(b), "b live");
    await waitFor(async () => (await members(b)).members.some((m) => m.name === "plain"), "b sees itself");
    const invite = await b.call("member/invite", { name: "x" });
    expect(invite.status).toBe(403);
    expect(invite.body).toMatchObject({ code: "forbidden", message: expect.stringMatching(/only an admin can invite/) });
    const remove = await b.call("member/remove", { nodeId: await keyOf(a) });
    expect(remove.status).toBe(403);
    expect((await a.call("member/invite", { name: "y", role: "admin" })).status).toBe(200);
  });

  it("a removed member is disconnected; its later edits reach no one, its earlier edits stay", async () => {
    const a = await serve();
    const b = await joined(a, "leaver");
    const c = await joined(a, "stayer");
    await waitFor(async () => (await live(b)) && (await live(c)) && (await live(a, 2)), "b and c live with a");
    await create(b, "early by b");
    await waitFor(() => converged([a, b, c]), "converged before the removal");
    const bKey = await keyOf(b);
    const changed: unknown[] = [];
    expect(await apiOf(a).ok("member/remove", { nodeId: bKey })).toEqual({ nodeId: bKey });
    changed.push(...(await members(a)).members.filter((m) => m.removed));
    expect(changed).toMatchObject([{ nodeId: bKey, removed: true }]);
    await waitFor(() => a.logs().some((l) => l.msg === "sync: closing link" && l["code"] === 4010 && l["peer"] === bKey), "a closes b's link");
    // b knows it was removed (the removal reached it first) and cannot write; it keeps what it had.
    await waitFor(async () => (await members(b)).members.some((m) => m.nodeId === bKey && m.removed), "b holds its removal");
    const late = await b.call("story/create", { name: "late by b" });
    expect(late.status).toBe(403);
    expect(await names(b)).toContain("early by b");
    // Its reconnects are refused; a and c keep the early edit and never see a late one.
    await waitFor(() => b.logs().some((l) => l.msg === "sync: rendezvous connection failed" && l["code"] === 4010), "b's reconnect refused");
    await create(c, "after the removal");
    await waitFor(async () => (await names(a)).includes("after the removal"), "a and c still sync");
    for (const n of [a, c]) {
      expect(await names(n)).toContain("early by b");
      expect(await names(n)).not.toContain("late by b");
    }
    expect(await names(b)).not.toContain("after the removal");
  });

  it("membership converges across a partition with a concurrent removal and addition", async () => {
    const a = await serve();
    let b = await joined(a, "second admin", "admin", await freePort()); // a fixed port: e dials b across b's restarts
    const c = await joined(a, "to be removed");
    await waitFor(async () => (await live(b)) && (await live(c)) && (await live(a, 2)), "all live");
    await waitFor(() => converged([a, b, c]), "converged");
    // Partition: b offline (restarted without --rendezvous).
    await b.stop();
    fleet.forget(b);
    b = await fleet.track(b.restart({ args: [] }));
    // Apart: a removes c; b invites e, which joins through b.
    await apiOf(a).ok("member/remove", { nodeId: await keyOf(c) });
    const e = await joined(b, "new device");
    await waitFor(async () => (await members(b)).members.some((m) => m.name === "new device"), "e joined through b");
    await create(e, "by e while apart");
    await waitFor(async () => (await names(b)).includes("by e while apart"), "b has e's edit");
    expect((await members(a)).members.some((m) => m.name === "new device")).toBe(false);
    // Heal: b dials a again.
    await b.stop();
    fleet.forget(b);
    b = await fleet.track(b.restart({ args: ["--rendezvous", apiOf(a).syncUrl] }));
    await waitFor(() => converged([a, b, e]), "a, b and e converged");
    const [la, lb, le] = await Promise.all([members(a), members(b), members(e)]);
    expect(lb).toEqual(la);
    expect(le).toEqual(la);
    expect(la.members.find((m) => m.name === "to be removed")).toMatchObject({ removed: true });
    expect(la.members.find((m) => m.name === "new device")).toMatchObject({ removed: false, addedBy: await keyOf(b) });
    expect(await names(a)).toContain("by e while apart");
  });
});

/**
 * Attacks with VALID changes (issue 10, attacks 1–3) on a real `musher
 * serve`, by the protocol peer written from docs/PROTOCOL.md: a clock that
 * claims the end of time, more concurrent heads than a change may cite, and
 * an equivocation followed by a long chain. Under the old rules each one
 * stopped every later local write or made applying quadratic. After each:
 * the node still writes, answers within 1 s, a fresh device converges, and
 * the log stays bounded. The attacker is a member gone bad: it joined by
 * invite (`memberPeer`), so its changes count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOf } from "../support/apiOf";
import { newPeerKey } from "../support/peerKey";
import { memberPeer } from "../support/memberPeer";
import { createOp, joinOp, parseInviteLine, ProtocolPeer, type WireChange } from "../support/protocolPeer";
import { serveFleet } from "../support/serveFleet";
import { inviteFrom, startServe, type ServeProcess } from "../support/startServe";
import { stillHealthy, timedInfo } from "../support/stillHealthy";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
let node: ServeProcess;
const END_OF_TIME = { wall: Number.MAX_SAFE_INTEGER, logical: 0xffff_ffff };

beforeAll(async () => {
  node = await fleet.track(startServe());
  await apiOf(node).ok("story/create", { name: "existing" });
});
afterAll(() => fleet.stopAll());

const heads = async (): Promise<string[]> => [...(await apiOf(node).status()).heads].sort();
const storyId = async (name: string): Promise<string> => (await apiOf(node).board(true)).stories.find((s) => s.name === name)!.id;

/** Sends in frames well under 1 MiB. */
function send(peer: ProtocolPeer, changes: readonly WireChange[]): void {
  for (let i = 0; i < changes.length; i += 400) peer.sendChanges(changes.slice(i, i + 400));
}

describe("valid changes cannot brick or stall a workspace", { timeout: 120_000 }, () => {
  it("a change claiming the end of time: later local writes still succeed and still win, also after a restart", async () => {
    const from = node.stderr.length;
    const { peer } = await memberPeer(node);
    const target = await storyId("existing");
    const poison = peer.makeChange({ seq: 2, deps: await heads(), clock: END_OF_TIME, ops: [{ t: "name", story: target, value: "poisoned" }] });
    peer.sendChanges([poison]);
    await waitFor(async () => (await heads()).includes(poison.id), "the poisoned change applied");
    peer.close();
    await apiOf(node).ok("story/update", { id: target, name: "renamed after the poison" });
    expect((await apiOf(node).board()).stories.find((s) => s.id === target)!.name).toBe("renamed after the poison");
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
    await node.stop();
    node = await fleet.track(node.restart());
    await apiOf(node).ok("story/update", { id: target, name: "and after a restart" });
    expect((await apiOf(node).board()).stories.find((s) => s.id === target)!.name).toBe("and after a restart");
  });

  it("300 concurrent changes by 300 keys (members by invite): the next local write folds them and succeeds", async () => {
    const invites: string[] = [];
    for (let i = 0; i < 300; i++) invites.push(await inviteFrom(node, `key ${i}`));
    const from = node.stderr.length; // after the admin's 300 invites (one log line each): the attack starts here
    const { peer } = await memberPeer(node);
    const target = await storyId("and after a restart");
    const base = await heads();
    // Each key joins (its own invite) and then writes on its join: 300 concurrent heads.
    const flood = invites.flatMap((line) => {
      const signer = newPeerKey();
      const join = peer.makeChange({ seq: 1, deps: base, signer, ops: [joinOp(parseInviteLine(line).key, peer.workspace, signer.publicKey)] });
      return [join, peer.makeChange({ seq: 2, deps: [join.id], signer, ops: [{ t: "count", story: target, delta: 1 }] })];
    });
    send(peer, flood);
    await waitFor(async () => (await heads()).length >= 300, "300 heads");
    peer.close();
    await apiOf(node).ok("story/update", { id: target, name: "written over 300 heads" });
    expect(await heads()).toHaveLength(1);
    expect((await apiOf(node).board()).stories.find((s) => s.id === target)!.retryCount).toBe(300);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
  });

  it("one key equivocating 300 times at one seq cannot block writes either", async () => {
    const from = node.stderr.length;
    const { peer } = await memberPeer(node);
    const target = await storyId("written over 300 heads");
    const base = await heads();
    const forks = Array.from({ length: 300 }, (_, i) => peer.makeChange({ seq: 2, deps: base, clock: { wall: Date.now(), logical: i }, ops: [{ t: "blocked", story: target, value: i % 2 === 0 }] }));
    send(peer, forks);
    await waitFor(async () => (await heads()).length >= 300, "300 forked heads");
    peer.close();
    await apiOf(node).ok("story/create", { name: "written over an equivocation" });
    expect(await heads()).toHaveLength(1);
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
  });

  it("an equivocation followed by a 4,000-change chain: applied in linear time, the node stays responsive, a reconnect re-sends none of it", async () => {
    const from = node.stderr.length;
    const key = newPeerKey();
    const { peer } = await memberPeer(node, { key });
    const base = await heads();
    const left = peer.makeChange({ seq: 2, deps: base, ops: [createOp("eq-left", "left")] });
    const right = peer.makeChange({ seq: 2, deps: base, ops: [createOp("eq-right", "right")] });
    const chain: WireChange[] = [left];
    for (let i = 0; i < 4_000; i++) {
      chain.push(peer.makeChange({ seq: 3 + i, deps: [chain[chain.length - 1]!.id], clock: { wall: Date.now(), logical: i }, ops: [{ t: "name", story: "eq-left", value: `edit ${i}` }] }));
    }
    peer.sendChanges([right]);
    send(peer, chain);
    const slowest: number[] = [];
    await waitFor(async () => {
      slowest.push(await timedInfo(node));
      return (await heads()).includes(chain[chain.length - 1]!.id);
    }, "the whole chain applied");
    expect(Math.max(...slowest)).toBeLessThan(1_000);
    expect((await apiOf(node).board()).stories.find((s) => s.id === "eq-left")!.name).toBe("edit 3999");
    peer.close();

    // Reconnect holding everything and saying so (vector, heads, and our tips of the forked author).
    const again = await ProtocolPeer.connect(apiOf(node).syncUrl, {
      key,
      vec: (await apiOf(node).status()).heads.length > 0 ? await vectorOf(node) : [],
      heads: await heads(),
      forks: [[key.publicKey, [right.id, chain[chain.length - 1]!.id].sort()]],
    });
    await again.caughtUp();
    expect(again.received.filter((c) => c.body["author"] === key.publicKey)).toHaveLength(0);
    again.close();
    await stillHealthy(node, fleet, { logFrom: from, maxLogLines: 20 });
  });
});

/** The node's author → max seq vector, read from its catch-up to a fresh observer (a member: it joins by invite). */
async function vectorOf(n: ServeProcess): Promise<[string, number][]> {
  const observer = await ProtocolPeer.connect(apiOf(n).syncUrl, { invite: await inviteFrom(n, "observer") });
  await observer.caughtUp();
  const max = new Map<string, number>();
  for (const c of observer.received) {
    const a = String(c.body["author"]);
    max.set(a, Math.max(max.get(a) ?? 0, Number(c.body["seq"])));
  }
  observer.close();
  return [...max];
}

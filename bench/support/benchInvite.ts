/**
 * How the fresh device of the `sync-fresh-device` benchmark gets in: the
 * bench workspace is from before membership (legacy, no genesis), whose
 * admin is the author of its earliest root change; that author signs one
 * more change over the whole history, adding the serving node as a member
 * (a real server is a member device; else the joined device would refuse it
 * once it holds the roster) and an `invite` per device to join, and a device
 * joins with an invite line — the path a new laptop takes (`musher serve
 * --join`). Built at bench time from the (cached) history: one signature.
 */
import { randomBytes } from "node:crypto";
import { CHANGE_VERSION, type Change } from "../../src-main/crdt/Change";
import { decodeChange, signChange } from "../../src-main/crdt/changeCodec";
import { compareHlc } from "../../src-main/crdt/Hlc";
import { identityFromSeed, type Identity } from "../../src-main/crdt/Identity";
import { formatInvite } from "../../src-main/crdt/inviteLine";
import { BENCH_WORKSPACE } from "./generateHistory";

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * `authorSeeds`: the seeds of the history's authors (the admin is one of them); `serverKey`: the serving
 * node's key; `count`: invites in the change (one per device that will join: an invite is used once).
 */
export function benchInvite(
  log: readonly Uint8Array[],
  authorSeeds: readonly number[],
  serverKey: string,
  count: number,
): { change: Uint8Array; lines: ((addresses: string[]) => string)[] } {
  const cited = new Set<string>();
  const ids: string[] = [];
  const maxSeq = new Map<string, number>();
  let root: { id: string; author: string; clock: Change["clock"] } | undefined;
  for (const bytes of log) {
    const d = decodeChange(bytes, BENCH_WORKSPACE);
    if (!d.ok) throw new Error(d.reason);
    const { id, change } = d.value;
    ids.push(id);
    for (const dep of change.deps) cited.add(dep);
    maxSeq.set(change.author, Math.max(maxSeq.get(change.author) ?? 0, change.seq));
    if (change.deps.length === 0 && (!root || compareHlc(change.clock, root.clock) < 0 || (compareHlc(change.clock, root.clock) === 0 && id < root.id))) {
      root = { id, author: change.author, clock: change.clock };
    }
  }
  if (!root) throw new Error("bench history has no root change");
  const admin: Identity | undefined = authorSeeds.map((s) => identityFromSeed(new Uint8Array(32).fill(s))).find((i) => i.publicKey === root.author);
  if (!admin) throw new Error("the bench workspace's admin is not among the given authors");
  const secrets = Array.from({ length: count }, () => randomBytes(32));
  const heads = ids.filter((id) => !cited.has(id)).sort();
  const change: Change = {
    v: CHANGE_VERSION,
    workspace: BENCH_WORKSPACE,
    author: admin.publicKey,
    seq: (maxSeq.get(admin.publicKey) ?? 0) + 1,
    deps: heads,
    clock: { wall: Date.now(), logical: 0 },
    ops: [
      { t: "member", key: serverKey, name: "server", role: "member" },
      ...secrets.map((secret, k) => ({ t: "invite" as const, key: identityFromSeed(secret).publicKey, name: `fresh device ${k + 1}`, role: "member" as const, expires: Date.now() + WEEK_MS })),
    ],
  };
  return {
    change: signChange(change, admin).bytes,
    lines: secrets.map((secret) => (addresses: string[]) => formatInvite({ workspace: BENCH_WORKSPACE, secret: secret.toString("hex"), addresses })),
  };
}

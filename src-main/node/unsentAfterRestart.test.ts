/**
 * "unsent" after a restart counts only own changes no peer provably holds
 * (no other author's change has them in its causal past) — not every change
 * this node ever made, which is what a fresh counter said before.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { identityFromSeed } from "../crdt/Identity";
import { Replica } from "../crdt/Replica";
import { parseInvite } from "../crdt/inviteLine";
import { joinOp } from "../crdt/membershipOps";
import { syncStatusSchema } from "../../src-shared/syncMethods";
import { createNode, type MusherNode } from "./createNode";
import { silentLogger } from "../base/Logger";

const nodes: MusherNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(dataDir: string): Promise<MusherNode> {
  const node = await createNode({ dataDir, host: "embedded", log: silentLogger });
  nodes.push(node);
  return node;
}

const unsent = async (node: MusherNode): Promise<number> => {
  const r = await node.call("sync/status", {});
  if (!r.ok) throw new Error(r.error.message);
  return syncStatusSchema.parse(r.value).unsent;
};

describe("unsent after a restart", () => {
  it("counts from what peers provably hold", async () => {
    const dir = await mkdtemp(join(tmpdir(), "musher-unsent-"));
    dirs.push(dir);
    let a = await open(dir);
    const mine: Uint8Array[] = [];
    a.replica.onApplied((e) => e.local && mine.push(...e.changes));
    for (const name of ["one", "two", "three"]) await a.call("story/create", { name });
    const invite = await a.call("member/invite", { name: "peer" });
    if (!invite.ok) throw new Error(invite.error.message);
    const parsed = parseInvite((invite.value as { invite: string }).invite);
    if (!parsed.ok) throw new Error(parsed.reason);
    // A peer (another author, a member through the invite) receives them and writes on top: its change cites ours.
    const peer = new Replica({ workspace: a.info.workspaceId, signer: identityFromSeed(new Uint8Array(32).fill(9)), logger: silentLogger });
    peer.receiveBatch(mine);
    const { change: joined } = peer.commit([joinOp(identityFromSeed(Buffer.from(parsed.invite.secret, "hex")), a.info.workspaceId, peer.author)]);
    expect(a.replica.receive(joined.bytes).status).toBe("applied");
    const { change } = peer.commit([{ t: "name", story: peer.stories()[0]!.id, value: "renamed by the peer" }]);
    expect(a.replica.receive(change.bytes).status).toBe("applied");
    await a.call("story/create", { name: "four: the peer never saw it" });
    await a.close();
    nodes.splice(nodes.indexOf(a), 1);

    a = await open(dir);
    expect(await unsent(a)).toBe(1);
  });
});

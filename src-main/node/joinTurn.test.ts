/**
 * A joining device writes its `join` change in a turn of its own, after the
 * batch that brought its invite: writing it commits the open group of
 * received changes and syncs to disk, and on top of that batch's apply it
 * was a catch-up's longest block (the invite is among the newest changes).
 * Deferred, it must still be written exactly once, and a close before its
 * turn leaves it for the next start.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeChange } from "../crdt/changeCodec";
import { silentLogger } from "../base/Logger";
import { createNode, type MusherNode } from "./createNode";

const nodes: MusherNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "musher-join-turn-"));
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string, joinLine?: string): Promise<MusherNode> {
  const node = await createNode({ dataDir, host: "embedded", log: silentLogger, ...(joinLine === undefined ? {} : { join: joinLine }) });
  nodes.push(node);
  return node;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A founder with a few stories and an invite; its whole log, in arrival order. */
async function founderWithInvite(): Promise<{ founder: MusherNode; log: Uint8Array[]; line: string }> {
  const founder = await open(await tempDir());
  for (const name of ["one", "two"]) await founder.call("story/create", { name });
  const invite = await founder.call("member/invite", { name: "laptop" });
  if (!invite.ok) throw new Error(invite.error.message);
  return { founder, log: logOf(founder), line: (invite.value as { invite: string }).invite };
}

const logOf = (node: MusherNode, after = 0): Uint8Array[] => node.replica.changeBytesInArrival(after + 1, node.replica.lastArrival()).map((r) => r.bytes);

/** The `join` changes in a replica's log written by `author`. */
function joinsBy(node: MusherNode, author: string): number {
  return node.replica
    .changeBytesInArrival(1, node.replica.lastArrival())
    .map((r) => decodeChange(r.bytes, node.replica.workspace))
    .filter((d) => d.ok && d.value.change.author === author && d.value.change.ops.some((op) => op.t === "join")).length;
}

describe("the join change of a joining device", () => {
  it("is written in the turn after the batch that brought the invite, once", async () => {
    const { founder, log, line } = await founderWithInvite();
    const device = await open(await tempDir(), line);
    const me = device.info.nodeId;
    const results = device.replica.receiveBatch(log);
    expect(results.every((r) => r.status === "applied")).toBe(true);
    // Still the batch's turn: not yet, so the batch's apply and the join's commit are two blocks, not one.
    expect(joinsBy(device, me)).toBe(0);
    await nextTurn();
    expect(joinsBy(device, me)).toBe(1);
    // A later applied batch (the founder's next edit) does not write a second join.
    const seen = founder.replica.lastArrival();
    await founder.call("story/create", { name: "three" });
    expect(device.replica.receiveBatch(logOf(founder, seen)).map((r) => r.status)).toEqual(["applied"]);
    await nextTurn();
    await nextTurn();
    expect(joinsBy(device, me)).toBe(1);
    expect(device.replica.stories().length).toBe(3);
    const created = await device.call("story/create", { name: "written by the member it became" });
    expect(created.ok).toBe(true);
  });

  it("is written at the next start when the node closed before its turn", async () => {
    const { log, line } = await founderWithInvite();
    const dir = await tempDir();
    let device = await open(dir, line);
    const me = device.info.nodeId;
    device.replica.receiveBatch(log);
    await device.close(); // in the batch's turn: the join's turn never comes
    nodes.splice(nodes.indexOf(device), 1);
    await nextTurn();

    device = await open(dir);
    expect(device.info.nodeId).toBe(me);
    await nextTurn();
    expect(joinsBy(device, me)).toBe(1);
  });
});

/**
 * A real node (temp data dir) taking in a bulk of received changes announces
 * `board/changed` throttled — not once per apply turn — and loses no story;
 * a peer's live edit (a small batch) and a local edit are announced at once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventMessage } from "../../src-shared/contract";
import { silentLogger } from "../base/Logger";
import type { Replica } from "../crdt/Replica";
import { TEST_WORKSPACE, testNode } from "../../test/support/crdt/testKit";
import { waitFor } from "../../test/support/waitFor";
import { createNode, type MusherNode } from "./createNode";

const nodes: MusherNode[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(): Promise<{ node: MusherNode; boardEvents: string[][] }> {
  const dir = await mkdtemp(join(tmpdir(), "musher-bulk-"));
  dirs.push(dir);
  // The test workspace has no genesis (legacy rules): changes made by testNode are valid here.
  const node = await createNode({ dataDir: dir, host: "embedded", log: silentLogger, workspaceId: TEST_WORKSPACE });
  nodes.push(node);
  const boardEvents: string[][] = [];
  node.subscribe((m: EventMessage) => {
    if (m.event === "board/changed") boardEvents.push(m.payload.storyIds);
  });
  return { node, boardEvents };
}

function record(replica: Replica): Uint8Array[] {
  const log: Uint8Array[] = [];
  replica.onApplied((e) => log.push(...e.changes));
  return log;
}

describe("board/changed during a bulk apply", () => {
  it("is throttled over an ingest of 1,500 changes, and every story is announced", async () => {
    const author = testNode(0);
    const log = record(author.replica);
    const ids: string[] = [];
    for (let i = 0; i < 1_500; i++) ids.push(author.board.create({ name: `s${i}`, stage: "1_backlog", agent: null }).id);
    const { node, boardEvents } = await open();
    const started = performance.now();
    const report = await node.ingest(log);
    const elapsed = performance.now() - started;
    expect(report.applied).toBe(1_500);
    // At most one event at the start of each 250 ms window, plus the trailing one.
    await waitFor(() => new Set(boardEvents.flat()).size === 1_500, "every story announced", 5_000);
    expect(boardEvents.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 250));
    expect([...new Set(boardEvents.flat())].sort()).toEqual([...ids].sort());
  });

  it("announces a peer's live edit and a local edit at once", async () => {
    const peer = testNode(1);
    const log = record(peer.replica);
    const story = peer.board.create({ name: "live", stage: "1_backlog", agent: null });
    const { node, boardEvents } = await open();
    await node.ingest(log);
    expect(boardEvents).toEqual([[story.id]]);
    const mine = await node.call("story/create", { name: "mine" });
    if (!mine.ok) throw new Error(mine.error.message);
    expect(boardEvents).toHaveLength(2);
    expect(boardEvents[1]).toEqual([mine.value.id]);
  });
});

/**
 * Conflicts and undo between two real `musher serve` processes. B runs
 * apart (restarted on its data dir without --rendezvous); both nodes move
 * AND rename the same story while apart; when B dials A again both nodes
 * report the conflicts — each value with its author — the same way. A later
 * move on A resolves the stage conflict on both, a later rename the name
 * conflict, and an undo on A reaches B.
 */
import { afterEach, describe, expect, it } from "vitest";
import { storyDetailSchema, storySchema, type StoryDetail } from "../../src-shared/Story";
import { apiOf } from "../support/apiOf";
import { converged } from "../support/converged";
import { startServe, type ServeProcess } from "../support/startServe";
import { serveFleet } from "../support/serveFleet";
import { waitFor } from "../support/waitFor";

const fleet = serveFleet();
afterEach(() => fleet.stopAll());
const start = fleet.track;

async function stop(p: ServeProcess): Promise<void> {
  expect(await p.stop("SIGTERM")).toBe(0);
  fleet.forget(p);
}

const detail = (p: ServeProcess, id: string): Promise<StoryDetail> => apiOf(p).okAs(storyDetailSchema, "story/get", { id });

describe("conflicts and undo across real nodes", { timeout: 120_000 }, () => {
  it("both nodes show a partitioned move + rename as conflicts with both values and authors; later writes resolve them; undo syncs", async () => {
    const a = await start(startServe());
    const api = apiOf(a);
    const story = await api.okAs(storySchema, "story/create", { name: "Shared story" });
    const rendezvous = ["--rendezvous", api.syncUrl];
    let b = await start(startServe({ args: rendezvous, invitedBy: a }));
    await waitFor(() => converged([a, b]), "B caught up", 60_000);
    const [keyA, keyB] = [(await api.info()).nodeId, (await apiOf(b).info()).nodeId];

    await stop(b);
    b = await start(b.restart({ args: [] }));
    await apiOf(b).ok("story/move", { id: story.id, stage: "4_merge" });
    await apiOf(b).ok("story/update", { id: story.id, name: "Renamed on B" });
    await api.ok("story/move", { id: story.id, stage: "3_qa" });
    await api.ok("story/update", { id: story.id, name: "Renamed on A" });

    await stop(b);
    b = await start(b.restart({ args: rendezvous }));
    await waitFor(() => converged([a, b]), "A and B converged after the partition", 60_000);

    const [onA, onB] = [await detail(a, story.id), await detail(b, story.id)];
    expect(onB).toEqual(onA);
    expect(onA.conflicted).toBe(true);
    const byField = new Map(onA.conflicts.map((c) => [c.field, c.values]));
    expect(new Set(byField.keys())).toEqual(new Set(["name", "stage"]));
    const names = byField.get("name")!;
    expect(names[0]!.value).toBe(onA.name); // the winner first
    expect(new Set(names.map((v) => `${v.value}|${v.author}`))).toEqual(new Set([`Renamed on A|${keyA}`, `Renamed on B|${keyB}`]));
    expect(new Set(byField.get("stage")!.map((v) => `${v.value}|${v.author}`))).toEqual(new Set([`3_qa|${keyA}`, `4_merge|${keyB}`]));
    for (const v of [...names, ...byField.get("stage")!]) expect(v.at).toBeGreaterThan(0);
    const cardA = (await api.board()).stories.find((s) => s.id === story.id)!;
    const cardB = (await apiOf(b).board()).stories.find((s) => s.id === story.id)!;
    expect([cardA.conflicted, cardB.conflicted]).toEqual([true, true]);

    // A later move (A has both moves in its causal past) resolves the stage conflict on both.
    await api.ok("story/move", { id: story.id, stage: "5_done" });
    await waitFor(() => converged([a, b]), "the move reached B", 30_000);
    for (const p of [a, b]) {
      const d = await detail(p, story.id);
      expect(d.stage).toBe("5_done");
      expect(d.conflicts.map((c) => c.field)).toEqual(["name"]);
    }
    // "Keep" a value: a rename resolves the name conflict on both.
    await api.ok("story/update", { id: story.id, name: "Renamed on B" });
    await waitFor(() => converged([a, b]), "the rename reached B", 30_000);
    for (const p of [a, b]) expect(await detail(p, story.id)).toMatchObject({ name: "Renamed on B", conflicted: false, conflicts: [] });

    // Undo on A writes the inverse change; B gets it like any edit.
    const before = onA.name;
    expect(await api.ok("edit/undo", {})).toEqual({ undone: `Undid rename '${before}' → 'Renamed on B'` });
    await waitFor(() => converged([a, b]), "the undo reached B", 30_000);
    expect((await detail(b, story.id)).name).toBe(before);
    const history = (await apiOf(b).ok("story/history", { id: story.id })) as { entries: { author: string; summary: string }[] };
    expect(history.entries[0]).toMatchObject({ author: keyA, summary: `renamed 'Renamed on B' → '${before}'` });
    expect(history.entries.some((e) => e.author === keyB && e.summary === "moved Backlog → Merge")).toBe(true);
  });
});

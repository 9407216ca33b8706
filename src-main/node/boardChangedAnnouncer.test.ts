import { describe, expect, it } from "vitest";
import { boardChangedAnnouncer } from "./boardChangedAnnouncer";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("boardChangedAnnouncer", () => {
  it("announces the first bulk batch at once and the burst after it as one event with every story", async () => {
    const events: string[][] = [];
    const announcer = boardChangedAnnouncer((ids) => events.push(ids), 60);
    announcer.applied(["b"], false);
    expect(events).toEqual([["b"]]);
    announcer.applied(["c", "a"], false);
    announcer.applied(["a", "d"], false);
    expect(events).toHaveLength(1);
    await sleep(120);
    expect(events).toEqual([["b"], ["a", "c", "d"]]);
  });

  it("announces an urgent batch (a local or live edit) at once, with the bulk stories still waiting", () => {
    const events: string[][] = [];
    const announcer = boardChangedAnnouncer((ids) => events.push(ids), 10_000);
    announcer.applied(["r1"], false);
    announcer.applied(["r2"], false);
    announcer.applied(["mine"], true);
    expect(events).toEqual([["r1"], ["mine", "r2"]]);
  });

  it("announces a change with no story (a stage limit) and leaves nothing behind on flush", () => {
    const events: string[][] = [];
    const announcer = boardChangedAnnouncer((ids) => events.push(ids), 10_000);
    announcer.applied([], false);
    announcer.applied(["x"], false);
    announcer.flush();
    announcer.flush();
    expect(events).toEqual([[], ["x"]]);
  });
});

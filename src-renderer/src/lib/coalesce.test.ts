import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce";

function deferredTask() {
  const resolvers: (() => void)[] = [];
  let runs = 0;
  const task = () => {
    runs += 1;
    return new Promise<void>((r) => resolvers.push(r));
  };
  return { task, resolvers, runs: () => runs };
}

describe("coalesce", () => {
  it("runs once for a request while idle", async () => {
    const t = deferredTask();
    const request = coalesce(t.task);
    const done = request();
    t.resolvers[0]!();
    await done;
    expect(t.runs()).toBe(1);
  });

  it("turns a burst during a run into exactly one more run", async () => {
    const t = deferredTask();
    const request = coalesce(t.task);
    void request();
    const a = request();
    const b = request();
    const c = request();
    expect(t.runs()).toBe(1);
    t.resolvers[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.runs()).toBe(2);
    t.resolvers[1]!();
    await Promise.all([a, b, c]);
    expect(t.runs()).toBe(2);
  });

  it("keeps going after a failed run", async () => {
    let runs = 0;
    const request = coalesce(async () => {
      runs += 1;
      if (runs === 1) throw new Error("boom");
    });
    await request();
    await request();
    expect(runs).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { SessionLocks } from "./SessionLocks";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SessionLocks", () => {
  it("serializes calls on one id in arrival order", async () => {
    const locks = new SessionLocks();
    const log: string[] = [];
    const task = (name: string, ms: number) =>
      locks.run("s", async () => {
        log.push(`${name}:start`);
        await tick(ms);
        log.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([task("a", 20), task("b", 1), task("c", 5)]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  });

  it("lets different ids run at the same time", async () => {
    const locks = new SessionLocks();
    let active = 0;
    let peak = 0;
    await Promise.all(
      ["a", "b", "c"].map((id) =>
        locks.run(id, async () => {
          active += 1;
          peak = Math.max(peak, active);
          await tick(20);
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("releases on failure, keeps the error with its caller, and forgets idle ids", async () => {
    const locks = new SessionLocks();
    const failing = locks.run("s", () => Promise.reject(new Error("boom")));
    const next = locks.run("s", () => Promise.resolve("ok"));
    expect(locks.size).toBe(1);
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ok");
    expect(locks.size).toBe(0);
    for (let i = 0; i < 100; i++) await locks.run(`session-${i}`, () => Promise.resolve(i));
    expect(locks.size).toBe(0);
  });
});

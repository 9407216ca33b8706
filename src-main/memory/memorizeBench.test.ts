import { describe, expect, it } from "vitest";
import { runMemorizeBench } from "./memorizeBench";

describe("runMemorizeBench", () => {
  it("measures throughput for each concurrency level (tiny run)", async () => {
    const results = await runMemorizeBench({ adders: [1, 4], batches: 10, batchSize: 3, warmup: false });
    expect(results.map((r) => [r.adders, r.messages])).toEqual([
      [1, 30],
      [4, 120],
    ]);
    for (const r of results) expect(r.messagesPerSecond).toBeGreaterThan(0);
  });
});

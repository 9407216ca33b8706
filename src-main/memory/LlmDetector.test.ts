import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiFailure } from "../../src-shared/ApiError";
import { FakeLlmServer, modelAnswer } from "../../test/support/memory/FakeLlmServer";
import { LlmDetector, type LlmDetectorOptions } from "./LlmDetector";
import { toMessages } from "./Message";

const T0 = 1_700_000_000_000;
const three = toMessages(
  "s",
  ["plan the release", "ok", "ship it"].map((content, i) => ({ senderId: "alice", role: "user" as const, timestamp: T0 + i, content })),
);

let server: FakeLlmServer;
beforeAll(async () => {
  server = await FakeLlmServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const detector = (options: Partial<LlmDetectorOptions> = {}) =>
  new LlmDetector({ baseUrl: server.baseUrl + "/", apiKey: "k-test", model: "fake-model", retryDelayMs: 0, ...options });

describe("LlmDetector", () => {
  it("posts a numbered prompt and returns validated boundaries and episodes", async () => {
    server.script(
      modelAnswer({
        reasoning: "release planning ends at 2",
        boundaries: [2],
        should_wait: true,
        episodes: [{ title: "  Release plan  ", content: "Alice planned the release.", summary: "planning" }],
      }),
    );
    const d = await detector().detect(three);
    expect(d).toEqual({
      boundaries: [2],
      shouldWait: true,
      episodes: [{ title: "Release plan", content: "Alice planned the release.", summary: "planning" }],
    });
    const req = server.requests[0];
    expect(req?.authorization).toBe("Bearer k-test");
    expect(req?.body).toMatchObject({ model: "fake-model", temperature: 0 });
    expect(req?.prompt.split("\n")[0]).toMatch(/^\[1\] 2023-11-14T\S+ alice \(user\): plan the release$/);
  });

  it("drops out-of-range and non-integer boundaries, dedupes and sorts; tolerates a code fence", async () => {
    server.script(
      modelAnswer("```json\n" + JSON.stringify({ reasoning: "", boundaries: [3, 0, 99, 1.5, -2, 1, 1, "2"], should_wait: false }) + "\n```"),
    );
    const d = await detector().detect(three);
    expect(d.boundaries).toEqual([1, 3]);
    expect(d.episodes).toBeUndefined();
  });

  it("clips long titles to 80 characters", async () => {
    server.script(modelAnswer({ boundaries: [3], should_wait: false, episodes: [{ title: "t".repeat(300), content: "c" }] }));
    const d = await detector().detect(three);
    expect(d.episodes?.[0]?.title.length).toBe(80);
  });

  it("retries a malformed answer and succeeds on a later attempt", async () => {
    server.script(modelAnswer("not json at all"), modelAnswer({ boundaries: [2], should_wait: false }));
    const d = await detector().detect(three);
    expect(d.boundaries).toEqual([2]);
    expect(server.requests).toHaveLength(2);
  });

  it("fails with ApiFailure after 3 malformed answers (bad JSON, wrong shape, HTTP error)", async () => {
    server.script(
      modelAnswer("{ nope"),
      modelAnswer({ boundaries: "2", should_wait: false }),
      { kind: "raw", status: 502, body: "bad gateway" },
    );
    const err: unknown = await detector().detect(three).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe("unavailable");
    expect((err as ApiFailure).message).toMatch(/failed after 3 attempts: HTTP 502/);
    expect(server.requests).toHaveLength(3);
  });

  it("times out each attempt with its own deadline", async () => {
    server.fallback = { kind: "hang" };
    const started = Date.now();
    const err: unknown = await detector({ timeoutMs: 80 }).detect(three).catch((e: unknown) => e);
    expect((err as ApiFailure).message).toMatch(/timed out after 80 ms/);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

import { describe, expect, it } from "vitest";
import { ApiFailure } from "../../../src-shared/ApiError";
import { STAGES } from "../../../src-shared/stages";
import { httpCall, type FetchLike } from "./httpCall";

type Seen = { url: string; body: string; credentials: string };

/** A fetch that records the request and answers with a fixed status and body. */
function fakeFetch(status: number, body: string, seen: Seen[] = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, body: init.body, credentials: init.credentials });
    return { status, text: async () => body };
  };
}

const board = { stages: STAGES.map((s) => ({ id: s.id, name: s.name, limit: null })), stories: [] };

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiFailure) return err;
    throw new Error(`expected ApiFailure, got ${String(err)}`);
  }
  throw new Error("expected a rejection");
}

describe("httpCall", () => {
  it("posts the input as JSON to /api/<method> with same-origin credentials", async () => {
    const seen: Seen[] = [];
    const result = await httpCall(fakeFetch(200, JSON.stringify(board), seen), "http://h:1", "board/get", {});
    expect(result).toEqual(board);
    expect(seen).toEqual([{ url: "http://h:1/api/board/get", body: "{}", credentials: "same-origin" }]);
  });

  it("turns an ApiError body into an ApiFailure with code, message and issues", async () => {
    const body = { code: "invalid_input", message: "bad", issues: [{ path: ["name"], message: "empty", code: "too_small" }] };
    const err = await failure(httpCall(fakeFetch(400, JSON.stringify(body)), "", "story/create", { name: "" }));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toBe("bad");
    expect(err.issues).toEqual(body.issues);
  });

  it("maps a non-ApiError error body by status", async () => {
    expect((await failure(httpCall(fakeFetch(401, "nope"), "", "board/get", {}))).code).toBe("unauthorized");
    expect((await failure(httpCall(fakeFetch(503, "<html>"), "", "board/get", {}))).code).toBe("unavailable");
    expect((await failure(httpCall(fakeFetch(500, "{}"), "", "board/get", {}))).code).toBe("internal");
  });

  it("rejects an invalid 200 result as internal", async () => {
    const err = await failure(httpCall(fakeFetch(200, JSON.stringify({ stages: "x" })), "", "board/get", {}));
    expect(err.code).toBe("internal");
    expect((await failure(httpCall(fakeFetch(200, "not json"), "", "board/get", {}))).code).toBe("internal");
  });

  it("reports a network failure as unavailable", async () => {
    const down: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    const err = await failure(httpCall(down, "", "board/get", {}));
    expect(err.code).toBe("unavailable");
  });
});

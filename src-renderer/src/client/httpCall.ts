/**
 * One contract call over HTTP: `POST /api/<method>` with the input as JSON.
 * 200 → the result (validated against the contract); any other status → an
 * `ApiError` body turned into `ApiFailure`. Every way this can go wrong —
 * network down, non-JSON body, a proxy's HTML error page — ends as an
 * `ApiFailure`, never as a raw TypeError in the UI.
 */
import { ApiFailure, apiErrorSchema, type ApiErrorCode } from "../../../src-shared/ApiError";
import type { Input, Method, Output } from "../../../src-shared/contract";
import { yieldToBrowser } from "../lib/yieldToBrowser";
import { parseLargeBoard } from "./parseLargeBoard";
import { parseOutput } from "./parseOutput";

/** Results longer than this are validated in a task of their own. */
const LARGE_RESULT_CHARS = 256 * 1024;

/** The slice of `fetch` this module uses, so tests can pass a tiny fake. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; credentials: "same-origin" },
) => Promise<{ status: number; text(): Promise<string> }>;

export async function httpCall<M extends Method>(
  fetchFn: FetchLike,
  baseUrl: string,
  method: M,
  input: Input<M>,
): Promise<Output<M>> {
  let response: Awaited<ReturnType<FetchLike>>;
  let text: string;
  try {
    response = await fetchFn(`${baseUrl}/api/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
      // The browser host authenticates with a same-origin cookie set from `?token=`.
      credentials: "same-origin",
    });
    text = await response.text();
  } catch (err) {
    throw new ApiFailure("unavailable", `cannot reach the Musher host (${errorText(err)})`);
  }
  const body = parseJson(text);
  if (response.status === 200) {
    if (body === undefined) throw new ApiFailure("internal", `the host sent a non-JSON result for ${method}`);
    // A big result (a large board) is parsed and validated in separate tasks.
    if (text.length > LARGE_RESULT_CHARS) {
      await yieldToBrowser();
      // Sound: parseLargeBoard applies board/get's own output schema.
      if (method === "board/get") return (await parseLargeBoard(body)) as Output<M>;
    }
    return parseOutput(method, body);
  }
  const error = apiErrorSchema.safeParse(body);
  if (error.success) throw new ApiFailure(error.data.code, error.data.message, error.data.issues);
  throw new ApiFailure(codeForStatus(response.status), `${method} failed with HTTP ${response.status}`);
}

/** Used only when the error body is not an `ApiError` (e.g. a proxy answered). */
export function codeForStatus(status: number): ApiErrorCode {
  if (status === 400 || status === 422) return "invalid_input";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "unknown_method";
  if (status === 409) return "conflict";
  if (status === 413) return "too_large";
  if (status === 502 || status === 503 || status === 504) return "unavailable";
  return "internal";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The single entry every transport goes through: look the method up,
 * validate the input against the contract, run the handler, and turn any
 * failure into a typed error value. Nothing a caller sends can throw past
 * this function.
 */
import { ApiFailure, type ApiIssue } from "../../src-shared/ApiError";
import type { CallResult } from "../../src-shared/CallResult";
import { isMethod, methods, type Method, type Output, type ParsedInput } from "../../src-shared/contract";
import type { Logger } from "../base/Logger";
import type { z } from "zod";

export type Handlers = {
  [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M>;
};

export function issuesOf(error: z.ZodError): ApiIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: i.message,
    code: i.code,
  }));
}

export async function dispatch(
  handlers: Handlers,
  method: string,
  input: unknown,
  log: Logger,
): Promise<CallResult<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: "unknown_method", message: `no method named ${JSON.stringify(method)}` } };
  }
  const parsed = methods[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: "invalid_input", message: `invalid input for ${method}`, issues: issuesOf(parsed.error) },
    };
  }
  try {
    // The cast is sound: `parsed.data` was produced by this method's schema.
    const handler = handlers[method] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof ApiFailure) return { ok: false, error: err.toJSON() };
    log.error("handler failed", { method, err });
    return { ok: false, error: { code: "internal", message: `${method} failed; see the node's log` } };
  }
}

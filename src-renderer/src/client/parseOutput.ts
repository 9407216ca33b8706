/**
 * Checks what a host sent back against the contract's output schema. The
 * renderer trusts no edge (design invariant 6): a malformed result becomes an
 * `ApiFailure("internal")` instead of a crash somewhere in a component.
 */
import { ApiFailure } from "../../../src-shared/ApiError";
import { methods, type Method, type Output } from "../../../src-shared/contract";

export function parseOutput<M extends Method>(method: M, value: unknown): Output<M> {
  const parsed = methods[method].output.safeParse(value);
  if (!parsed.success) {
    throw new ApiFailure("internal", `the host sent an invalid result for ${method}`);
  }
  // Sound: `parsed.data` was produced by this method's own output schema.
  return parsed.data as Output<M>;
}

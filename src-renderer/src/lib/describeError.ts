/** A one-line, user-facing description of a failed call (for the error banner). */
import { ApiFailure } from "../../../src-shared/ApiError";

export function describeError(err: unknown): string {
  if (err instanceof ApiFailure) {
    const details = (err.issues ?? []).map((i) => i.message).filter((m) => m && m !== err.message);
    return details.length > 0 ? `${err.message}: ${details.join("; ")}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one error shape that crosses every boundary (IPC, HTTP, WebSocket).
 * Inside a process code throws `ApiFailure`; transports turn it into this
 * plain object so nothing depends on an Error surviving serialization.
 */
import { z } from "zod";

export const apiErrorCodeSchema = z.enum([
  "invalid_input",
  "unknown_method",
  "not_found",
  "conflict",
  "unauthorized",
  /** Authenticated but not allowed (e.g. a plain member asking for an admin's action). */
  "forbidden",
  "too_large",
  "unavailable",
  "internal",
]);

export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const apiIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string(),
});

export type ApiIssue = z.infer<typeof apiIssueSchema>;

export const apiErrorSchema = z.object({
  code: apiErrorCodeSchema,
  message: z.string(),
  issues: z.array(apiIssueSchema).optional(),
});

export type ApiError = z.infer<typeof apiErrorSchema>;

/** Thrown inside a process; converted to `ApiError` at the boundary. */
export class ApiFailure extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[] | undefined;

  constructor(code: ApiErrorCode, message: string, issues?: ApiIssue[]) {
    super(message);
    this.name = "ApiFailure";
    this.code = code;
    this.issues = issues;
  }

  toJSON(): ApiError {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

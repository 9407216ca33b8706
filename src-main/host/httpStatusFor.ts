import type { ApiErrorCode } from "../../src-shared/ApiError";

const STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  internal: 500,
  unavailable: 503,
};

/** The HTTP status that carries a typed API error. */
export function httpStatusFor(code: ApiErrorCode): number {
  return STATUS[code];
}

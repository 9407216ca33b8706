/**
 * What a transport carries back for one call. Errors are values, not
 * exceptions, because Electron's IPC and JSON both drop Error fields.
 */
import { z } from "zod";
import { apiErrorSchema, type ApiError } from "./ApiError";

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const callResultSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
